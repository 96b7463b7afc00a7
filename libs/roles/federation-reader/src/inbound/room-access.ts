// What another server may see of a room: the room must be known here, the server must not be
// refused by the room's m.room.server_acl, room-wide reads (state, auth chains, backfill) need
// one of its users joined (or a world_readable room), and each served event follows the history
// visibility at it for that server (Synapse's filter_events_for_server: world_readable and
// shared are visible, invited needs one of its users invited or joined, joined needs one joined).
import { forbidden, notFound } from '@homeserver/http';
import { serverAclAllows } from '@homeserver/matrix';
import { historyVisibilityOf, redactErasedFor } from '@homeserver/services';
import { serverOf } from '../http/id-params.ts';
import { getCurrentStateEvent, getEvents, getJoinedServers, getRoom, getStateIdsAtEvent, type Queryable, type RoomRow, type StoredEvent } from '@homeserver/storage';

/** The room, or a 404 naming it. */
export async function requireRoom(db: Queryable, roomId: string): Promise<RoomRow> {
  const room = await getRoom(db, roomId);
  if (!room) throw notFound(`room ${roomId} is not known to this server`);
  return room;
}

/** Whether the room's current server ACL lets `server` take part (no ACL: everyone). */
export async function aclAllows(db: Queryable, roomId: string, server: string): Promise<boolean> {
  const acl = await getCurrentStateEvent(db, roomId, { type: 'm.room.server_acl', stateKey: '' });
  return acl === undefined || serverAclAllows(acl.pdu['content'], server);
}

/** 403 when the room's server ACL refuses `origin`. */
export async function requireAclAllows(db: Queryable, roomId: string, origin: string): Promise<void> {
  if (!(await aclAllows(db, roomId, origin))) throw forbidden(`server ${origin} is banned from room ${roomId} by its server ACL`);
}

async function isWorldReadable(db: Queryable, roomId: string): Promise<boolean> {
  const event = await getCurrentStateEvent(db, roomId, { type: 'm.room.history_visibility', stateKey: '' });
  return historyVisibilityOf(event?.pdu['content']) === 'world_readable';
}

/** The room exists, the ACL allows `origin`, and one of its users is joined (or the room is world_readable). */
export async function requireServerInRoom(db: Queryable, roomId: string, origin: string): Promise<RoomRow> {
  const room = await requireRoom(db, roomId);
  await requireAclAllows(db, roomId, origin);
  if ((await getJoinedServers(db, roomId)).includes(origin)) return room;
  if (await isWorldReadable(db, roomId)) return room;
  throw forbidden(`server ${origin} has no user joined to room ${roomId}`);
}

/** Whether `server` may see `event` under the history visibility at it. */
export async function isVisibleToServer(db: Queryable, event: StoredEvent, server: string): Promise<boolean> {
  const state = await getStateIdsAtEvent(db, event.eventId, { when: 'after', types: ['m.room.history_visibility', 'm.room.member'] });
  // Outliers carry no state: an event we hold without its state is served as Synapse does (shared).
  if (state === undefined) return true;
  const visibility = state.find((e) => e.type === 'm.room.history_visibility');
  const ids = [...(visibility ? [visibility.eventId] : []), ...state.filter((e) => e.type === 'm.room.member' && serverOf(e.stateKey) === server).map((e) => e.eventId)];
  const events = await getEvents(db, ids);
  const value = historyVisibilityOf(visibility ? events.get(visibility.eventId)?.pdu['content'] : undefined);
  if (value !== 'invited' && value !== 'joined') return true;
  for (const entry of state) {
    if (entry.type !== 'm.room.member' || serverOf(entry.stateKey) !== server) continue;
    const membership = (events.get(entry.eventId)?.pdu['content'] as { membership?: unknown } | undefined)?.membership;
    if (membership === 'join') return true;
    if (membership === 'invite' && value === 'invited') return true;
  }
  return false;
}

/** `events` that `server` may see, in their order (those of erased senders redacted). */
export async function filterVisibleToServer(db: Queryable, events: readonly StoredEvent[], server: string): Promise<StoredEvent[]> {
  const visible: StoredEvent[] = [];
  for (const event of events) if (await isVisibleToServer(db, event, server)) visible.push(event);
  return redactErasedForServers(db, visible);
}

/**
 * `events` with those of erased senders in their redacted form: another server is never a reader
 * who saw them at the time, so it gets them redacted (as Synapse's filter_events_for_server).
 */
export function redactErasedForServers(db: Queryable, events: readonly StoredEvent[]): Promise<StoredEvent[]> {
  return redactErasedFor(db, events, { userId: '', history: [] });
}
