// What follows a user from a room into its replacement after an upgrade, as Synapse copies it:
// the old room's tags (room account data m.tag) and its place in m.direct. Done for the upgrader
// at the upgrade and for everyone else when they join the new room.
import { getCurrentStateEvent } from '@homeserver/storage';
import type { RoomsDeps } from './rooms-deps.ts';

/** The room `roomId` replaces (its create event's predecessor), if any. */
export async function predecessorOf(deps: Pick<RoomsDeps, 'db'>, roomId: string): Promise<string | undefined> {
  const create = await getCurrentStateEvent(deps.db, roomId, { type: 'm.room.create', stateKey: '' });
  const predecessor = (create?.pdu['content'] as { predecessor?: { room_id?: unknown } } | undefined)?.predecessor;
  return typeof predecessor?.room_id === 'string' ? predecessor.room_id : undefined;
}

/** Copies `userId`'s tags of `oldRoomId` to `newRoomId` and lists the new room where m.direct lists the old. */
export async function copyUserStateOnUpgrade(deps: Pick<RoomsDeps, 'accountData'>, userId: string, rooms: { oldRoomId: string; newRoomId: string }): Promise<void> {
  const accountData = deps.accountData;
  if (!accountData) return;
  const tags = await accountData.get(userId, rooms.oldRoomId, 'm.tag');
  if (tags && (await accountData.get(userId, rooms.newRoomId, 'm.tag')) === undefined) await accountData.set(userId, rooms.newRoomId, 'm.tag', tags);
  const direct = await accountData.get(userId, '', 'm.direct');
  if (!direct) return;
  let changed = false;
  const updated: Record<string, unknown> = {};
  for (const [other, roomIds] of Object.entries(direct)) {
    const listsOld = Array.isArray(roomIds) && roomIds.includes(rooms.oldRoomId) && !roomIds.includes(rooms.newRoomId);
    updated[other] = listsOld ? [...roomIds, rooms.newRoomId] : roomIds;
    changed ||= listsOld;
  }
  if (changed) await accountData.set(userId, '', 'm.direct', updated);
}
