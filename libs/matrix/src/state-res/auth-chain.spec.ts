// Auth chains (deep, memoised), auth difference and the v2.1 conflicted state subgraph.
import { describe, expect, it } from 'vitest';
import type { RoomEvent } from '../room-event.ts';
import { roomVersion } from '../room-version.ts';
import { AuthChains, authDifference } from './auth-chain.ts';
import { conflictedSubgraph } from './conflicted-subgraph.ts';

const v11 = roomVersion('11');
function graph(edges: Record<string, string[]>): Map<string, RoomEvent> {
  const events = new Map<string, RoomEvent>();
  for (const [id, auth] of Object.entries(edges)) {
    events.set(id, {
      eventId: id, roomId: '!r:x', type: 'm.room.member', stateKey: id, sender: '@a:x', content: {}, originServerTs: 0, depth: 0,
      authEventIds: auth, prevEventIds: [], redacts: undefined, roomVersion: v11, pdu: {},
    });
  }
  return events;
}

describe('AuthChains', () => {
  it('walks a 50,000-deep chain without recursion and memoises it', () => {
    const edges: Record<string, string[]> = { e0: [] };
    for (let i = 1; i <= 50_000; i += 1) edges[`e${i}`] = [`e${i - 1}`];
    const events = graph(edges);
    let fetches = 0;
    const chains = new AuthChains((id) => (fetches++, events.get(id)));
    expect(chains.chainOf('e50000').size).toBe(50_000);
    const before = fetches;
    expect(chains.chainOf('e50000').size).toBe(50_000);
    expect(fetches).toBe(before);
    // A later walk reaching a memoised event does not walk below it again.
    events.set('top', { ...events.get('e0')!, eventId: 'top', authEventIds: ['e50000'] });
    expect(chains.closure(['top']).size).toBe(50_002);
    expect(fetches).toBe(before + 1);
  });

  it('stops at the given set and skips unknown events', () => {
    const events = graph({ a: [], b: ['a'], c: ['b', 'ghost'] });
    const chains = new AuthChains((id) => events.get(id));
    expect([...chains.closure(['c'], new Set(['a']))].sort()).toEqual(['b', 'c', 'ghost']);
  });

  it('auth difference is the union minus the intersection of the full chains', () => {
    const events = graph({ create: [], pl: ['create'], a1: ['pl'], a2: ['a1'], b1: ['pl'], shared: ['pl'] });
    const chains = new AuthChains((id) => events.get(id));
    expect([...authDifference([['a2', 'shared'], ['b1', 'shared']], chains)].sort()).toEqual(['a1', 'a2', 'b1']);
    expect(authDifference([['a2']], chains).size).toBe(0);
  });
});

describe('conflictedSubgraph', () => {
  it('holds the events on auth paths between conflicted events, endpoints included', () => {
    // d → c → b → a, e → a, f → c (auth edges point at auth events)
    const events = graph({ a: [], b: ['a'], c: ['b'], d: ['c'], e: ['a'], f: ['c'] });
    const chains = new AuthChains((id) => events.get(id));
    const sub = conflictedSubgraph(new Set(['b', 'd', 'e']), chains, (id) => events.get(id));
    expect([...sub].sort()).toEqual(['b', 'c', 'd', 'e']);
  });
});
