// Properties of state resolution over random room histories: the result does not depend on
// the order of the state sets, and resolving one state set returns it unchanged.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../json.ts';
import type { StateMap } from '../room-event.ts';
import { resolveState } from './resolve-state.ts';
import { ALICE, BOB, CHARLIE, DagRoom, EVELYN, ZARA } from './test-dag.ts';

const USERS = [ALICE, BOB, CHARLIE, ZARA, EVELYN];
const action = fc.record({
  branch: fc.integer({ min: 0, max: 2 }),
  actor: fc.integer({ min: 0, max: USERS.length - 1 }),
  target: fc.integer({ min: 0, max: USERS.length - 1 }),
  kind: fc.constantFrom('topic', 'name', 'power', 'ban', 'kick', 'join', 'leave', 'invite', 'join_rules', 'message'),
  level: fc.constantFrom(0, 10, 50, 100),
  ts: fc.integer({ min: 0, max: 50 }),
});

/** Builds a standard room and three branches from IMZ, applying random actions to each. */
type Action = typeof action extends fc.Arbitrary<infer T> ? T : never;

function randomRoom(version: string, actions: readonly Action[]): { room: DagRoom; tips: string[] } {
  const room = DagRoom.standard(version);
  const tips = ['IMZ', 'IMZ', 'IMZ'];
  actions.forEach((a, i) => {
    const label = `A${i}`;
    const actor = USERS[a.actor]!;
    const target = USERS[a.target]!;
    const prev = [tips[a.branch]!];
    const ts = 1_000 + a.ts;
    const state = (type: string, stateKey: string, content: JsonObject) => room.add(label, { type, sender: actor, stateKey, content, prev, ts });
    switch (a.kind) {
      case 'topic': state('m.room.topic', '', { topic: label }); break;
      case 'name': state('m.room.name', '', { name: label }); break;
      case 'power': state('m.room.power_levels', '', room.powerLevels({ [ALICE]: 100, [target]: a.level })); break;
      case 'join_rules': state('m.room.join_rules', '', { join_rule: a.level >= 50 ? 'invite' : 'public' }); break;
      case 'ban': case 'kick': case 'invite':
        state('m.room.member', target, { membership: a.kind === 'kick' ? 'leave' : a.kind }); break;
      case 'join': case 'leave': state('m.room.member', actor, { membership: a.kind }); break;
      default: room.add(label, { type: 'm.room.message', sender: actor, content: { body: label }, prev, ts });
    }
    tips[a.branch] = label;
  });
  return { room, tips };
}

const canonical = (state: StateMap) => [...state.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

describe.each(['1', '2', '10', '12'])('state resolution properties, room v%s', (version) => {
  it('does not depend on the order of the state sets', () => {
    fc.assert(
      fc.property(fc.array(action, { minLength: 1, maxLength: 14 }), (actions) => {
        const { room, tips } = randomRoom(version, actions);
        const sets = [...new Set(tips)].map((t) => room.stateAfter(t));
        const resolve = (ordered: StateMap[]) => canonical(resolveState(ordered, { roomVersion: room.version, fetchEvent: room.fetch }));
        const expected = resolve(sets);
        expect(resolve([...sets].reverse())).toEqual(expected);
        if (sets.length === 3) expect(resolve([sets[1]!, sets[2]!, sets[0]!])).toEqual(expected);
      }),
      { numRuns: 60 },
    );
  });

  it('returns a single state set unchanged (and two copies of it too)', () => {
    fc.assert(
      fc.property(fc.array(action, { minLength: 0, maxLength: 10 }), (actions) => {
        const { room, tips } = randomRoom(version, actions);
        const set = room.stateAfter(tips[0]!);
        expect(canonical(resolveState([set], { roomVersion: room.version, fetchEvent: room.fetch }))).toEqual(canonical(set));
        expect(canonical(resolveState([set, set], { roomVersion: room.version, fetchEvent: room.fetch }))).toEqual(canonical(set));
      }),
      { numRuns: 40 },
    );
  });
});
