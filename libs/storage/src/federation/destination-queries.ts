// Which servers are owed what the federation sender sends: the servers joined to a room at an
// event (for PDUs), joined to rooms now (for typing and receipts), or sharing a room with a
// user (for presence and device list updates). A server is the part of a user ID after the
// first ':'.
import type { Queryable } from '../database.ts';

const SERVER_OF = "substring(m.user_id FROM position(':' IN m.user_id) + 1)";

export interface EventAt {
  readonly eventId: string;
  readonly roomId: string;
  readonly streamOrdering: number;
}

/**
 * For each event, the servers with a member joined just before it (the membership with the
 * highest ordering below the event's, per user): those who must receive it.
 */
export async function serversJoinedBeforeEvents(db: Queryable, events: readonly EventAt[]): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>(events.map((e) => [e.eventId, []]));
  if (events.length === 0) return result;
  const { rows } = await db.query<{ event_id: string; server: string }>(
    `SELECT DISTINCT e.event_id, ${SERVER_OF} AS server
       FROM unnest($1::text[], $2::text[], $3::int8[]) AS e(event_id, room_id, ordering)
       CROSS JOIN LATERAL (
         SELECT DISTINCT ON (r.user_id) r.user_id, r.membership FROM room_memberships r
          WHERE r.room_id = e.room_id AND r.stream_ordering < e.ordering
          ORDER BY r.user_id, r.stream_ordering DESC
       ) m
      WHERE m.membership = 'join'`,
    [events.map((e) => e.eventId), events.map((e) => e.roomId), events.map((e) => e.streamOrdering)],
  );
  for (const row of rows) result.get(row.event_id)!.push(row.server);
  return result;
}

/**
 * The rooms among `roomIds` where a user of another server than `serverName` ever had a
 * membership: the only rooms whose events may be owed to another server.
 */
export async function roomsWithRemoteMembers(db: Queryable, roomIds: readonly string[], serverName: string): Promise<string[]> {
  if (roomIds.length === 0) return [];
  const { rows } = await db.query<{ room_id: string }>(
    `SELECT DISTINCT m.room_id FROM room_memberships m WHERE m.room_id = ANY($1::text[]) AND ${SERVER_OF} <> $2`,
    [[...new Set(roomIds)], serverName],
  );
  return rows.map((row) => row.room_id);
}

/** For each room, the servers with a member joined now. */
export async function serversJoinedToRooms(db: Queryable, roomIds: readonly string[]): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>(roomIds.map((id) => [id, []]));
  if (roomIds.length === 0) return result;
  const { rows } = await db.query<{ room_id: string; server: string }>(
    `SELECT DISTINCT m.room_id, substring(m.state_key FROM position(':' IN m.state_key) + 1) AS server
       FROM current_state_events m
      WHERE m.room_id = ANY($1::text[]) AND m.type = 'm.room.member' AND m.membership = 'join'`,
    [[...new Set(roomIds)]],
  );
  for (const row of rows) result.get(row.room_id)!.push(row.server);
  return result;
}

/** For each user, the servers with a member joined to a room the user is joined to now. */
export async function serversSharingRoomsWith(db: Queryable, userIds: readonly string[]): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>(userIds.map((id) => [id, []]));
  if (userIds.length === 0) return result;
  const { rows } = await db.query<{ user_id: string; server: string }>(
    `SELECT DISTINCT u.state_key AS user_id, substring(m.state_key FROM position(':' IN m.state_key) + 1) AS server
       FROM current_state_events u
       JOIN current_state_events m ON m.room_id = u.room_id AND m.type = 'm.room.member' AND m.membership = 'join'
      WHERE u.type = 'm.room.member' AND u.membership = 'join' AND u.state_key = ANY($1::text[])`,
    [[...new Set(userIds)]],
  );
  for (const row of rows) result.get(row.user_id)!.push(row.server);
  return result;
}

/** Who was typing in the room just before stream position `position` (empty once pruned). */
export async function previousTypingUsers(db: Queryable, roomId: string, position: number): Promise<string[]> {
  const { rows } = await db.query<{ user_ids: string[] }>('SELECT user_ids FROM typing_stream WHERE room_id = $1 AND position < $2 ORDER BY position DESC LIMIT 1', [roomId, position]);
  return rows[0]?.user_ids ?? [];
}
