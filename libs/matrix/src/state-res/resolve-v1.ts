// State resolution v1 (room v1): resolve conflicts in passes — power levels, join rules,
// memberships, then everything else — ordering candidates by depth and SHA-1 of the event ID.
import { createHash } from 'node:crypto';
import type { AuthState } from '../auth/auth-state.ts';
import { authStateFromMap } from '../auth/auth-state.ts';
import { checkAuth } from '../auth/check-auth.ts';
import type { RoomEvent, StateKey, StateMap } from '../room-event.ts';
import { separateV1 } from './conflicts.ts';
import type { IterativeAuthOptions } from './iterative-auth.ts';
import { requireEvent } from './event-source.ts';

function sha1Hex(value: string): string {
  return createHash('sha1').update(value, 'utf8').digest('hex');
}

/** Highest depth first, then lowest SHA-1 of the event ID (the order "normal" conflicts are tried in). */
function byDepthDescShaAsc(events: RoomEvent[]): RoomEvent[] {
  const keyed = events.map((e) => ({ e, sha: sha1Hex(e.eventId) }));
  keyed.sort((a, b) => b.e.depth - a.e.depth || (a.sha < b.sha ? -1 : a.sha > b.sha ? 1 : 0));
  return keyed.map((k) => k.e);
}

export function resolveV1(stateSets: readonly StateMap[], options: IterativeAuthOptions): Map<StateKey, string> {
  const { fetchEvent } = options;
  const { unconflicted, conflicted } = separateV1(stateSets);
  if (conflicted.size === 0) return unconflicted;
  const resolved = new Map(unconflicted);
  const stateView: AuthState = authStateFromMap(resolved, fetchEvent);
  const allowedIn = (event: RoomEvent, state: AuthState) => checkAuth(event, state, options.authOptions).allowed;
  const eventsOf = (key: StateKey) => [...conflicted.get(key)!].map((id) => requireEvent(fetchEvent, id, 'v1 conflict'));

  // Auth-affecting keys: take the earliest event (lowest depth, highest SHA-1), then each later
  // one for as long as it is allowed on top of the previous.
  const resolveAuthKey = (key: StateKey) => {
    const ordered = byDepthDescShaAsc(eventsOf(key)).reverse();
    let chosen = ordered[0]!;
    resolved.set(key, chosen.eventId);
    for (const event of ordered.slice(1)) {
      if (!allowedIn(event, stateView)) break;
      chosen = event;
      resolved.set(key, chosen.eventId);
    }
  };
  const keysOfType = (type: string) => [...conflicted.keys()].filter((key) => key.startsWith(`${type}\u0000`));
  for (const type of ['m.room.power_levels', 'm.room.join_rules', 'm.room.member']) {
    for (const key of keysOfType(type)) resolveAuthKey(key);
  }
  const authKeys = new Set(['m.room.power_levels', 'm.room.join_rules', 'm.room.member'].flatMap(keysOfType));
  for (const key of conflicted.keys()) {
    if (authKeys.has(key)) continue;
    const ordered = byDepthDescShaAsc(eventsOf(key));
    // The first that passes auth; if none does, the one with the least depth.
    const winner = ordered.find((event) => allowedIn(event, stateView)) ?? ordered[ordered.length - 1]!;
    resolved.set(key, winner.eventId);
  }
  return resolved;
}
