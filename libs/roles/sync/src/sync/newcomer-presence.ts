// Presence of users who newly share a room with the syncing user, as Synapse's incremental sync
// adds it: the members of rooms the user joined in the window and the users who joined the
// user's rooms in it get their current presence, however long ago it last changed (the client
// had no reason to track them before). Read only when membership moved in the window.
import { joinedMembers, joinedRoomIds, membershipChanges, presenceForUsers, usersJoinedBetween, type Database, type PresenceRecord } from '@homeserver/storage';
import type { VectorPosition } from '@homeserver/streams';
import { presenceEvent } from './presence-events.ts';
import { inWindow, sqlWindow } from './sync-token.ts';

export interface NewcomerWindow {
  readonly since: VectorPosition;
  readonly upTo: VectorPosition;
  /** The presence stream's position the answer goes up to. */
  readonly presenceUpTo: VectorPosition;
}

/**
 * m.presence events of the users newly sharing a room with `userId` in the window, except `skip`
 * and the user; a user who never set any presence is offline (Synapse's default state).
 */
export async function newcomerPresence(db: Database, userId: string, window: NewcomerWindow, skip: ReadonlySet<string>, now: number): Promise<Record<string, unknown>[]> {
  const events = sqlWindow(window.since, window.upTo);
  const newcomers = new Set<string>();
  for (const change of await membershipChanges(db, userId, events)) {
    if (change.membership !== 'join' || !inWindow(change.streamOrdering, change.instanceName, window.since, window.upTo)) continue;
    for (const member of await joinedMembers(db, change.roomId)) newcomers.add(member);
  }
  for (const joined of await usersJoinedBetween(db, await joinedRoomIds(db, userId), events)) newcomers.add(joined);
  newcomers.delete(userId);
  for (const known of skip) newcomers.delete(known);
  if (newcomers.size === 0) return [];
  const current = await presenceForUsers(db, [...newcomers], { floor: 0, ceiling: window.presenceUpTo.max });
  const latest = new Map<string, PresenceRecord>();
  for (const p of current) if (p.position <= window.presenceUpTo.get(p.instanceName)) latest.set(p.userId, p);
  return [...newcomers].sort().map((other) => {
    const record = latest.get(other);
    return record ? presenceEvent(record, now) : { type: 'm.presence', sender: other, content: { presence: 'offline' } };
  });
}
