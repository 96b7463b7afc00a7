// Presence of users who newly share a room with the syncing user, as Synapse's incremental sync
// adds it: the members of rooms the user joined in the window and the users who joined the
// user's rooms in it get their current presence, however long ago it last changed (the client
// had no reason to track them before). Read only when membership moved in the window.
import { joinedMembers, joinedRoomIds, membershipChanges, presenceForUsers, usersJoinedBetween, type Database, type PresenceRecord } from '@homeserver/storage';
import type { VectorPosition } from '@homeserver/streams';
import { inWindow, sqlWindow } from './sync-token.ts';

export interface NewcomerWindow {
  readonly since: VectorPosition;
  readonly upTo: VectorPosition;
  /** The presence stream's position the answer goes up to. */
  readonly presenceUpTo: VectorPosition;
}

/** Current presence of the users newly sharing a room with `userId` in the window, except `skip` and the user. */
export async function newcomerPresence(db: Database, userId: string, window: NewcomerWindow, skip: ReadonlySet<string>): Promise<PresenceRecord[]> {
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
  return current.filter((p) => p.position <= window.presenceUpTo.get(p.instanceName));
}
