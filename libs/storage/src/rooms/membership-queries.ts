// Memberships: who is in a room now, which rooms a user is in (now or at a past stream
// position), and a user's membership changes between two positions (for sync's joined /
// invited / left sections).
import type { Queryable } from '../database.ts';
import { prepared } from '../prepared.ts';

export interface MembershipRow {
  readonly roomId: string;
  readonly userId: string;
  readonly membership: string;
  readonly eventId: string;
  readonly sender: string;
  readonly streamOrdering: number;
  readonly displayName: string | undefined;
  readonly avatarUrl: string | undefined;
}

interface Row {
  room_id: string;
  user_id: string;
  membership: string;
  event_id: string;
  sender: string;
  stream_ordering: number;
  display_name: string | null;
  avatar_url: string | null;
}

const COLUMNS = 'm.room_id, m.user_id, m.membership, m.event_id, m.sender, m.stream_ordering, m.display_name, m.avatar_url';

function toRow(row: Row): MembershipRow {
  return {
    roomId: row.room_id,
    userId: row.user_id,
    membership: row.membership,
    eventId: row.event_id,
    sender: row.sender,
    streamOrdering: Number(row.stream_ordering),
    displayName: row.display_name ?? undefined,
    avatarUrl: row.avatar_url ?? undefined,
  };
}

export interface RoomsForUserOptions {
  /** Memberships to include ('join', 'invite', 'leave', 'ban', 'knock'). Default: ['join']. */
  readonly memberships?: readonly string[];
  /** The user's rooms as of this `events` stream position. Default: now. */
  readonly atPosition?: number;
  /** Include rooms the user has forgotten. Default: false. */
  readonly includeForgotten?: boolean;
}

/** The rooms where the user's latest membership (now or at a position) is one of `memberships`. */
export async function getRoomsForUser(db: Queryable, userId: string, options: RoomsForUserOptions = {}): Promise<MembershipRow[]> {
  const memberships = [...(options.memberships ?? ['join'])];
  const params: unknown[] = [userId, memberships];
  let bound = '';
  if (options.atPosition !== undefined) {
    params.push(options.atPosition);
    bound = 'AND m.stream_ordering <= $3';
  }
  if (options.atPosition === undefined) {
    // Current state is authoritative now (and indexed); the history table answers the past.
    const { rows } = await db.query<Row>(
      `SELECT ${COLUMNS} FROM current_state_events c JOIN room_memberships m ON m.event_id = c.event_id
        WHERE c.type = 'm.room.member' AND c.state_key = $1 AND c.membership = ANY($2::text[])
          ${options.includeForgotten ? '' : 'AND NOT m.forgotten'}`,
      params,
    );
    return rows.map(toRow);
  }
  const { rows } = await db.query<Row & { forgotten: boolean }>(
    `SELECT * FROM (
       SELECT DISTINCT ON (m.room_id) ${COLUMNS}, m.forgotten FROM room_memberships m
        WHERE m.user_id = $1 ${bound}
        ORDER BY m.room_id, m.stream_ordering DESC
     ) latest WHERE latest.membership = ANY($2::text[])`,
    params,
  );
  return rows.filter((row) => options.includeForgotten || !row.forgotten).map(toRow);
}

/** A user's membership events with from < stream_ordering <= to, oldest first. */
export async function getMembershipChanges(db: Queryable, userId: string, range: { from: number; to: number }): Promise<MembershipRow[]> {
  const { rows } = await db.query<Row>(
    `SELECT ${COLUMNS} FROM room_memberships m WHERE m.user_id = $1 AND m.stream_ordering > $2 AND m.stream_ordering <= $3
     ORDER BY m.stream_ordering ASC`,
    [userId, range.from, range.to],
  );
  return rows.map(toRow);
}

/** The user's current membership of a room (undefined: never a member). */
export async function getMembership(db: Queryable, roomId: string, userId: string, options: { atPosition?: number } = {}): Promise<MembershipRow | undefined> {
  const params: unknown[] = [roomId, userId];
  let bound = '';
  if (options.atPosition !== undefined) {
    params.push(options.atPosition);
    bound = 'AND m.stream_ordering <= $3';
  }
  const { rows } = await db.query<Row>(
    `SELECT ${COLUMNS} FROM room_memberships m WHERE m.room_id = $1 AND m.user_id = $2 ${bound}
     ORDER BY m.stream_ordering DESC LIMIT 1`,
    params,
  );
  return rows[0] ? toRow(rows[0]) : undefined;
}

/** A user's membership events in one room, oldest first (visibility checks walk these). */
export async function getMembershipHistory(db: Queryable, roomId: string, userId: string): Promise<MembershipRow[]> {
  const { rows } = await db.query<Row>(
    `SELECT ${COLUMNS} FROM room_memberships m WHERE m.room_id = $1 AND m.user_id = $2 ORDER BY m.stream_ordering ASC`,
    [roomId, userId],
  );
  return rows.map(toRow);
}

export interface RoomMembersOptions {
  /** Only these memberships. Default: all. */
  readonly memberships?: readonly string[];
  /** Never these memberships. Default: none. */
  readonly notMemberships?: readonly string[];
}

/** The room's current members (one row per user: their current m.room.member). */
export async function getRoomMembers(db: Queryable, roomId: string, options: RoomMembersOptions = {}): Promise<MembershipRow[]> {
  const params: unknown[] = [roomId];
  const clauses = ["c.room_id = $1", "c.type = 'm.room.member'"];
  if (options.memberships) {
    params.push([...options.memberships]);
    clauses.push(`c.membership = ANY($${params.length}::text[])`);
  }
  if (options.notMemberships && options.notMemberships.length > 0) {
    params.push([...options.notMemberships]);
    clauses.push(`NOT (c.membership = ANY($${params.length}::text[]))`);
  }
  const { rows } = await db.query<Row>(
    `SELECT ${COLUMNS} FROM current_state_events c JOIN room_memberships m ON m.event_id = c.event_id WHERE ${clauses.join(' AND ')}`,
    params,
  );
  return rows.map(toRow);
}

export interface RoomMemberSummary {
  readonly joined: number;
  readonly invited: number;
  /** Up to five joined or invited members other than the asking user, earliest membership first. */
  readonly heroes: string[];
  /** The room has a non-empty name or canonical alias (clients need no heroes to name it). */
  readonly named: boolean;
}

/** Member counts and heroes (a /sync room summary) of many rooms in one statement; rooms without members are absent. */
export async function roomMemberSummaries(db: Queryable, userId: string, roomIds: readonly string[]): Promise<Map<string, RoomMemberSummary>> {
  if (roomIds.length === 0) return new Map();
  const { rows } = await db.query<{ room_id: string; joined: number; invited: number; heroes: string[] | null; named: boolean }>(
    prepared(`WITH named AS (
       SELECT DISTINCT s.room_id FROM current_state_events s JOIN events e ON e.event_id = s.event_id
        WHERE s.room_id = ANY($2::text[]) AND s.state_key = '' AND e.redacted_by IS NULL
          AND ((s.type = 'm.room.name' AND coalesce(e.json::jsonb #>> '{content,name}', '') <> '')
            OR (s.type = 'm.room.canonical_alias' AND coalesce(e.json::jsonb #>> '{content,alias}', '') <> ''))
     )
     SELECT c.room_id, count(*) FILTER (WHERE c.membership = 'join')::int AS joined, count(*) FILTER (WHERE c.membership = 'invite')::int AS invited,
            (array_agg(c.state_key ORDER BY m.stream_ordering) FILTER (WHERE c.state_key <> $1))[1:5] AS heroes,
            c.room_id IN (SELECT room_id FROM named) AS named
       FROM current_state_events c JOIN room_memberships m ON m.event_id = c.event_id
      WHERE c.room_id = ANY($2::text[]) AND c.type = 'm.room.member' AND c.membership IN ('join', 'invite')
      GROUP BY c.room_id`),
    [userId, [...new Set(roomIds)]],
  );
  return new Map(rows.map((row) => [row.room_id, { joined: row.joined, invited: row.invited, heroes: row.heroes ?? [], named: row.named }]));
}

/** Number of joined members per room. */
export async function countJoinedMembers(db: Queryable, roomIds: readonly string[]): Promise<Map<string, number>> {
  const { rows } = await db.query<{ room_id: string; n: number }>(
    `SELECT room_id, count(*)::int8 AS n FROM current_state_events WHERE room_id = ANY($1::text[]) AND type = 'm.room.member' AND membership = 'join' GROUP BY room_id`,
    [[...roomIds]],
  );
  return new Map(rows.map((row) => [row.room_id, Number(row.n)]));
}

/** Whether two users currently share a joined room (for profile/presence visibility). */
export async function shareJoinedRoom(db: Queryable, userA: string, userB: string): Promise<boolean> {
  const { rows } = await db.query(
    `SELECT 1 FROM current_state_events a JOIN current_state_events b ON a.room_id = b.room_id
      WHERE a.type = 'm.room.member' AND a.state_key = $1 AND a.membership = 'join'
        AND b.type = 'm.room.member' AND b.state_key = $2 AND b.membership = 'join' LIMIT 1`,
    [userA, userB],
  );
  return rows.length > 0;
}

/** Whether the user forgot the room since their latest membership (a rejoin clears it). */
export async function isRoomForgotten(db: Queryable, roomId: string, userId: string): Promise<boolean> {
  const { rows } = await db.query<{ forgotten: boolean }>(
    'SELECT forgotten FROM room_memberships WHERE room_id = $1 AND user_id = $2 ORDER BY stream_ordering DESC LIMIT 1',
    [roomId, userId],
  );
  return rows[0]?.forgotten === true;
}

/** Marks every membership row of the user in the room forgotten (POST /forget). */
export async function forgetRoom(db: Queryable, roomId: string, userId: string): Promise<void> {
  await db.query('UPDATE room_memberships SET forgotten = true WHERE room_id = $1 AND user_id = $2', [roomId, userId]);
}
