// Membership questions /sync and the ephemeral endpoints ask, answered from CS-rooms' tables
// (current_state_events, room_memberships) without touching their read API files.
import type { Queryable } from '../database.ts';
import { prepared } from '../prepared.ts';

export async function currentMembership(db: Queryable, roomId: string, userId: string): Promise<string | undefined> {
  const { rows } = await db.query<{ membership: string | null }>(
    `SELECT membership FROM current_state_events WHERE room_id = $1 AND type = 'm.room.member' AND state_key = $2`,
    [roomId, userId],
  );
  return rows[0]?.membership ?? undefined;
}

/** Rooms the user is currently joined to. */
export async function joinedRoomIds(db: Queryable, userId: string): Promise<string[]> {
  const { rows } = await db.query<{ room_id: string }>(
    `SELECT room_id FROM current_state_events WHERE type = 'm.room.member' AND state_key = $1 AND membership = 'join'`,
    [userId],
  );
  return rows.map((r) => r.room_id);
}

/** Joined members of a room. */
export async function joinedMembers(db: Queryable, roomId: string): Promise<string[]> {
  const { rows } = await db.query<{ state_key: string }>(
    `SELECT state_key FROM current_state_events WHERE room_id = $1 AND type = 'm.room.member' AND membership = 'join'`,
    [roomId],
  );
  return rows.map((r) => r.state_key);
}

/** Everyone who shares a joined room with the user, the user included. */
export async function usersSharingRooms(db: Queryable, userId: string): Promise<string[]> {
  const { rows } = await db.query<{ state_key: string }>(
    prepared(`SELECT DISTINCT o.state_key FROM current_state_events m
       JOIN current_state_events o ON o.room_id = m.room_id AND o.type = 'm.room.member' AND o.membership = 'join'
      WHERE m.type = 'm.room.member' AND m.state_key = $1 AND m.membership = 'join'`),
    [userId],
  );
  const users = rows.map((r) => r.state_key);
  if (!users.includes(userId)) users.push(userId);
  return users;
}

export interface MembershipChange {
  readonly roomId: string;
  readonly eventId: string;
  readonly membership: string;
  readonly streamOrdering: number;
  readonly instanceName: string;
}

export interface MembershipAt {
  readonly roomId: string;
  readonly eventId: string;
  readonly membership: string;
  readonly streamOrdering: number;
  readonly forgotten: boolean;
}

// The statements below, shared by the single reads here and the combined one of sync-window.ts (user $1).
/** Latest membership per room in ($2, $3]. */
export const CHANGES_SQL = `SELECT DISTINCT ON (m.room_id) m.room_id, m.event_id, m.membership, m.stream_ordering, e.instance_name
       FROM room_memberships m JOIN events e ON e.event_id = m.event_id
      WHERE m.user_id = $1 AND m.stream_ordering > $2 AND m.stream_ordering <= $3
      ORDER BY m.room_id, m.stream_ordering DESC`;
/** Latest membership per room at or below the parameter `upTo` names. */
export const atSql = (upTo: string): string => `SELECT DISTINCT ON (room_id) room_id, event_id, membership, stream_ordering, forgotten FROM room_memberships
      WHERE user_id = $1 AND stream_ordering <= ${upTo}
      ORDER BY room_id, stream_ordering DESC`;

export interface ChangeRow {
  room_id: string;
  event_id: string;
  membership: string;
  stream_ordering: number;
  instance_name: string;
}
export interface AtRow {
  room_id: string;
  event_id: string;
  membership: string;
  stream_ordering: number;
  forgotten: boolean;
}
export const toChange = (r: ChangeRow): MembershipChange => ({ roomId: r.room_id, eventId: r.event_id, membership: r.membership, streamOrdering: Number(r.stream_ordering), instanceName: r.instance_name });
export const toAt = (r: AtRow): MembershipAt => ({ roomId: r.room_id, eventId: r.event_id, membership: r.membership, streamOrdering: Number(r.stream_ordering), forgotten: r.forgotten });

/**
 * The user's latest membership event per room whose stream ordering lies in (floor, ceiling],
 * with the writer that allocated it, so callers can apply per-writer (vector) windows.
 */
export async function membershipChanges(db: Queryable, userId: string, window: { floor: number; ceiling: number }): Promise<MembershipChange[]> {
  const { rows } = await db.query<ChangeRow>(CHANGES_SQL, [userId, window.floor, window.ceiling]);
  return rows.map(toChange);
}

const MEMBERSHIPS_AT_SQL = prepared(atSql('$2'));

/** The user's latest membership per room at or below `upTo`, with the room's forgotten flag. */
export async function membershipsAt(db: Queryable, userId: string, upTo: number): Promise<MembershipAt[]> {
  const { rows } = await db.query<AtRow>(MEMBERSHIPS_AT_SQL, [userId, upTo]);
  return rows.map(toAt);
}

/** The room and stream ordering of an event, or undefined when it is not stored. */
export async function eventLocation(db: Queryable, eventId: string): Promise<{ roomId: string; streamOrdering: number } | undefined> {
  const { rows } = await db.query<{ room_id: string; stream_ordering: number }>('SELECT room_id, stream_ordering FROM events WHERE event_id = $1', [eventId]);
  return rows[0] ? { roomId: rows[0].room_id, streamOrdering: rows[0].stream_ordering } : undefined;
}

/** Users who joined one of these rooms within (floor, ceiling] (device-list tracking starts then). */
export async function usersJoinedBetween(db: Queryable, roomIds: readonly string[], window: { floor: number; ceiling: number }): Promise<string[]> {
  if (roomIds.length === 0) return [];
  const { rows } = await db.query<{ user_id: string }>(
    `SELECT DISTINCT user_id FROM room_memberships
      WHERE room_id = ANY($1::text[]) AND membership = 'join' AND stream_ordering > $2 AND stream_ordering <= $3`,
    [[...roomIds], window.floor, window.ceiling],
  );
  return rows.map((r) => r.user_id);
}
