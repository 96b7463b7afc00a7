// Rooms as the admin API sees them (Synapse's get_rooms_paginate / get_room_with_stats): the
// room's name, alias, membership counts and settings, computed from current state (this server
// keeps no room_stats tables), listed with Synapse's search term, filters and orders.
import type { Queryable } from '../database.ts';

/** Synapse's RoomSortOrder: the column and its natural direction (true: ascending). */
export const ROOM_ORDERS = {
  name: ['name', true],
  alphabetical: ['name', true],
  canonical_alias: ['canonical_alias', true],
  joined_members: ['joined_members', false],
  size: ['joined_members', false],
  joined_local_members: ['joined_local_members', false],
  version: ['version', false],
  creator: ['creator', true],
  encryption: ['encryption', true],
  federatable: ['federatable', true],
  public: ['public', true],
  join_rules: ['join_rules', true],
  guest_access: ['guest_access', true],
  history_visibility: ['history_visibility', true],
  state_events: ['state_events', false],
} as const;

export type RoomOrder = keyof typeof ROOM_ORDERS;

export interface AdminRoomRow {
  readonly roomId: string;
  readonly name: string | null;
  readonly canonicalAlias: string | null;
  readonly joinedMembers: number;
  readonly joinedLocalMembers: number;
  readonly version: string;
  readonly creator: string | null;
  readonly encryption: string | null;
  readonly federatable: boolean;
  readonly public: boolean;
  readonly joinRules: string | null;
  readonly guestAccess: string | null;
  readonly historyVisibility: string | null;
  readonly stateEvents: number;
  readonly roomType: string | null;
  readonly avatar: string | null;
  readonly topic: string | null;
}

export interface ListRoomsOptions {
  readonly from: number;
  readonly limit: number;
  /** Default: 'name'. */
  readonly orderBy?: RoomOrder;
  /** Reverses the order's natural direction. Default: false. */
  readonly reverse?: boolean;
  /** Part of the name or canonical alias, or the exact room ID. Default: none. */
  readonly searchTerm?: string;
  /** Only public (true) or only non-public (false) rooms. Default: both. */
  readonly publicRooms?: boolean;
  /** Only rooms nobody is joined to (true) or only rooms somebody is (false). Default: both. */
  readonly emptyRooms?: boolean;
}

// One row per room from its current state; only the few state events read here are parsed.
const STATS = `
  SELECT r.room_id, r.room_version AS version, r.creator, r.is_public AS public,
    max(CASE WHEN c.type = 'm.room.name' THEN e.content->>'name' END) AS name,
    max(CASE WHEN c.type = 'm.room.canonical_alias' THEN e.content->>'alias' END) AS canonical_alias,
    max(CASE WHEN c.type = 'm.room.encryption' THEN e.content->>'algorithm' END) AS encryption,
    NOT coalesce(bool_or(c.type = 'm.room.create' AND e.content->'m.federate' = 'false'::jsonb), false) AS federatable,
    max(CASE WHEN c.type = 'm.room.create' THEN e.content->>'type' END) AS room_type,
    max(CASE WHEN c.type = 'm.room.join_rules' THEN e.content->>'join_rule' END) AS join_rules,
    max(CASE WHEN c.type = 'm.room.guest_access' THEN e.content->>'guest_access' END) AS guest_access,
    max(CASE WHEN c.type = 'm.room.history_visibility' THEN e.content->>'history_visibility' END) AS history_visibility,
    max(CASE WHEN c.type = 'm.room.avatar' THEN e.content->>'url' END) AS avatar,
    max(CASE WHEN c.type = 'm.room.topic' THEN e.content->>'topic' END) AS topic,
    count(c.event_id)::int8 AS state_events,
    (count(*) FILTER (WHERE c.type = 'm.room.member' AND c.membership = 'join'))::int8 AS joined_members,
    (count(*) FILTER (WHERE c.type = 'm.room.member' AND c.membership = 'join' AND right(c.state_key, length($1) + 1) = ':' || $1))::int8 AS joined_local_members
  FROM rooms r
  LEFT JOIN current_state_events c ON c.room_id = r.room_id
  LEFT JOIN LATERAL (
    SELECT (ev.json::jsonb)->'content' AS content FROM events ev
     WHERE ev.event_id = c.event_id AND c.state_key = ''
       AND c.type IN ('m.room.name', 'm.room.canonical_alias', 'm.room.encryption', 'm.room.create', 'm.room.join_rules',
                      'm.room.guest_access', 'm.room.history_visibility', 'm.room.avatar', 'm.room.topic')
  ) e ON true`;

interface RoomDbRow {
  room_id: string;
  version: string;
  creator: string | null;
  public: boolean;
  name: string | null;
  canonical_alias: string | null;
  encryption: string | null;
  federatable: boolean;
  room_type: string | null;
  join_rules: string | null;
  guest_access: string | null;
  history_visibility: string | null;
  avatar: string | null;
  topic: string | null;
  state_events: number;
  joined_members: number;
  joined_local_members: number;
}

const toRow = (r: RoomDbRow): AdminRoomRow => ({
  roomId: r.room_id,
  name: r.name,
  canonicalAlias: r.canonical_alias,
  joinedMembers: r.joined_members,
  joinedLocalMembers: r.joined_local_members,
  version: r.version,
  creator: r.creator,
  encryption: r.encryption,
  federatable: r.federatable,
  public: r.public,
  joinRules: r.join_rules,
  guestAccess: r.guest_access,
  historyVisibility: r.history_visibility,
  stateEvents: r.state_events,
  roomType: r.room_type,
  avatar: r.avatar,
  topic: r.topic,
});

export async function listRoomsForAdmin(db: Queryable, serverName: string, options: ListRoomsOptions): Promise<{ rooms: AdminRoomRow[]; total: number }> {
  const args: unknown[] = [serverName];
  const arg = (value: unknown) => {
    args.push(value);
    return `$${args.length}`;
  };
  const filters: string[] = [];
  if (options.searchTerm !== undefined) {
    const term = options.searchTerm.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
    filters.push(`(lower(s.name) LIKE ${arg(`%${term}%`)} OR lower(s.canonical_alias) LIKE ${arg(`#%${term}%:%`)} OR s.room_id = ${arg(options.searchTerm)})`);
  }
  if (options.publicRooms !== undefined) filters.push(options.publicRooms ? 's.public' : 'NOT s.public');
  if (options.emptyRooms !== undefined) filters.push(options.emptyRooms ? 's.joined_members = 0' : 's.joined_members <> 0');
  const where = filters.length > 0 ? `WHERE ${filters.join(' AND ')}` : '';
  const [column, ascending] = ROOM_ORDERS[options.orderBy ?? 'name'];
  const direction = ascending !== (options.reverse ?? false) ? 'ASC' : 'DESC';
  const base = `WITH s AS (${STATS} GROUP BY r.room_id) SELECT * FROM s ${where}`;
  const { rows: counted } = await db.query<{ total: number }>(`SELECT count(*)::int8 AS total FROM (${base}) t`, args);
  const { rows } = await db.query<RoomDbRow>(`${base} ORDER BY s.${column} ${direction}, s.room_id ${direction} LIMIT ${arg(options.limit)} OFFSET ${arg(options.from)}`, args);
  return { rooms: rows.map(toRow), total: counted[0]?.total ?? 0 };
}

export async function getRoomForAdmin(db: Queryable, serverName: string, roomId: string): Promise<AdminRoomRow | undefined> {
  const { rows } = await db.query<RoomDbRow>(`${STATS} WHERE r.room_id = $2 GROUP BY r.room_id`, [serverName, roomId]);
  return rows[0] === undefined ? undefined : toRow(rows[0]);
}

/** Devices of the given users (Synapse's joined_local_devices). */
export async function countDevicesOfUsers(db: Queryable, userIds: readonly string[]): Promise<number> {
  if (userIds.length === 0) return 0;
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int8 AS n FROM devices WHERE user_id = ANY($1::text[])', [userIds]);
  return rows[0]?.n ?? 0;
}

/** Whether every local member who left the room also forgot it (Synapse's is_locally_forgotten_room). */
export async function isRoomForgottenByAll(db: Queryable, roomId: string): Promise<boolean> {
  const { rows } = await db.query<{ all_forgotten: boolean | null }>(
    `SELECT bool_and(forgotten) AS all_forgotten FROM (
       SELECT DISTINCT ON (user_id) forgotten FROM room_memberships WHERE room_id = $1 ORDER BY user_id, stream_ordering DESC
     ) latest`,
    [roomId],
  );
  return rows[0]?.all_forgotten === true;
}

export async function blockRoom(db: Queryable, roomId: string, userId: string): Promise<void> {
  await db.query('INSERT INTO blocked_rooms (room_id, user_id) VALUES ($1, $2) ON CONFLICT (room_id) DO UPDATE SET user_id = EXCLUDED.user_id', [roomId, userId]);
}

export async function unblockRoom(db: Queryable, roomId: string): Promise<void> {
  await db.query('DELETE FROM blocked_rooms WHERE room_id = $1', [roomId]);
}

/** Who blocked the room, or undefined when it is not blocked. */
export async function roomBlockedBy(db: Queryable, roomId: string): Promise<string | undefined> {
  const { rows } = await db.query<{ user_id: string }>('SELECT user_id FROM blocked_rooms WHERE room_id = $1', [roomId]);
  return rows[0]?.user_id;
}
