// Reverse topological power ordering: Kahn's algorithm over the auth DAG restricted to the
// full conflicted set, taking at each step the smallest ready event by
// (−sender power, origin_server_ts, event_id) from a heap.
import type { RoomEvent } from '../room-event.ts';
import type { EventFetcher } from './event-source.ts';
import { effectiveAuthEventIds, requireEvent } from './event-source.ts';
import { MinHeap } from './heap.ts';
import { senderPowerFromAuthEvents } from './sender-power.ts';

/** A power event might remove someone's ability to act: power levels, join rules, create, kicks and bans. */
export function isPowerEvent(event: RoomEvent): boolean {
  if (event.stateKey === '' && (event.type === 'm.room.power_levels' || event.type === 'm.room.join_rules' || event.type === 'm.room.create')) {
    return true;
  }
  if (event.type === 'm.room.member' && event.stateKey !== undefined) {
    const membership = event.content['membership'];
    return (membership === 'leave' || membership === 'ban') && event.sender !== event.stateKey;
  }
  return false;
}

interface Node {
  readonly id: string;
  readonly power: number;
  readonly ts: number;
}

function less(a: Node, b: Node): boolean {
  if (a.power !== b.power) return a.power > b.power;
  if (a.ts !== b.ts) return a.ts < b.ts;
  return a.id < b.id;
}

/**
 * Sorts `eventIds` plus their auth ancestors that lie in `within` (reached through auth events
 * in `within`), earliest first.
 */
export function reverseTopologicalPowerSort(eventIds: Iterable<string>, within: ReadonlySet<string>, fetchEvent: EventFetcher): string[] {
  // parents: event → its auth events in the graph; children: the reverse edges.
  const parents = new Map<string, string[]>();
  const stack = [...eventIds];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (parents.has(id)) continue;
    const event = requireEvent(fetchEvent, id, 'power ordering');
    const inGraph = effectiveAuthEventIds(event).filter((a) => within.has(a));
    parents.set(id, inGraph);
    for (const a of inGraph) if (!parents.has(a)) stack.push(a);
  }
  const children = new Map<string, string[]>();
  const remaining = new Map<string, number>();
  const heap = new MinHeap<Node>(less);
  const nodeOf = (id: string): Node => {
    const event = requireEvent(fetchEvent, id, 'power ordering');
    return { id, power: senderPowerFromAuthEvents(event, fetchEvent), ts: event.originServerTs };
  };
  for (const [id, ps] of parents) {
    const unique = new Set(ps);
    remaining.set(id, unique.size);
    for (const p of unique) {
      let list = children.get(p);
      if (list === undefined) children.set(p, (list = []));
      list.push(id);
    }
    if (unique.size === 0) heap.push(nodeOf(id));
  }
  const sorted: string[] = [];
  while (heap.size > 0) {
    const node = heap.pop()!;
    sorted.push(node.id);
    for (const child of children.get(node.id) ?? []) {
      const left = remaining.get(child)! - 1;
      remaining.set(child, left);
      if (left === 0) heap.push(nodeOf(child));
    }
  }
  return sorted;
}
