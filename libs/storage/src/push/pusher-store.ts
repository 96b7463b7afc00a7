// Pushers (what POST /pushers/set stores) and the pusher role's outbox of notifications it
// still owes each pusher (migration 1700_pushers.sql).
import type { Queryable } from '../database.ts';
import { prepared } from '../prepared.ts';
import { unreadCountsSql } from '../sync/push-action-store.ts';
import { countsStartSql } from '../sync/push-summary-store.ts';

export interface PusherRow {
  readonly id: number;
  readonly userId: string;
  readonly deviceId: string | null;
  readonly kind: string;
  readonly appId: string;
  readonly appDisplayName: string;
  readonly deviceDisplayName: string;
  readonly pushkey: string;
  /** When the pusher was last set, in ms. */
  readonly pushkeyTs: number;
  readonly lang: string;
  readonly data: Record<string, unknown>;
  readonly profileTag: string;
}

export type NewPusher = Omit<PusherRow, 'id'>;

interface DbPusher {
  id: number;
  user_id: string;
  device_id: string | null;
  kind: string;
  app_id: string;
  app_display_name: string;
  device_display_name: string;
  pushkey: string;
  pushkey_ts: number;
  lang: string;
  data: Record<string, unknown>;
  profile_tag: string;
}

const COLUMNS = 'id, user_id, device_id, kind, app_id, app_display_name, device_display_name, pushkey, pushkey_ts, lang, data, profile_tag';

function toPusher(row: DbPusher): PusherRow {
  return {
    id: Number(row.id),
    userId: row.user_id,
    deviceId: row.device_id,
    kind: row.kind,
    appId: row.app_id,
    appDisplayName: row.app_display_name,
    deviceDisplayName: row.device_display_name,
    pushkey: row.pushkey,
    pushkeyTs: Number(row.pushkey_ts),
    lang: row.lang,
    data: row.data,
    profileTag: row.profile_tag,
  };
}

/** Adds the pusher or updates the user's pusher with the same app_id and pushkey. */
export async function upsertPusher(db: Queryable, pusher: NewPusher): Promise<void> {
  await db.query(
    `INSERT INTO pushers (user_id, device_id, kind, app_id, app_display_name, device_display_name, pushkey, pushkey_ts, lang, data, profile_tag)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11)
     ON CONFLICT (app_id, pushkey, user_id) DO UPDATE SET
       device_id = $2, kind = $3, app_display_name = $5, device_display_name = $6, pushkey_ts = $8, lang = $9, data = $10::jsonb,
       profile_tag = $11, failing_since = NULL`,
    [
      pusher.userId,
      pusher.deviceId,
      pusher.kind,
      pusher.appId,
      pusher.appDisplayName,
      pusher.deviceDisplayName,
      pusher.pushkey,
      pusher.pushkeyTs,
      pusher.lang,
      JSON.stringify(pusher.data),
      pusher.profileTag,
    ],
  );
}

/** Removes one user's pusher; true when there was one. */
export async function deletePusher(db: Queryable, key: { userId: string; appId: string; pushkey: string }): Promise<boolean> {
  const { rowCount } = await db.query('DELETE FROM pushers WHERE user_id = $1 AND app_id = $2 AND pushkey = $3', [key.userId, key.appId, key.pushkey]);
  return (rowCount ?? 0) > 0;
}

/** Removes the pushers other users have for this app_id and pushkey (`append: false`). */
export async function deletePushersOfOtherUsers(db: Queryable, key: { userId: string; appId: string; pushkey: string }): Promise<void> {
  await db.query('DELETE FROM pushers WHERE app_id = $1 AND pushkey = $2 AND user_id <> $3', [key.appId, key.pushkey, key.userId]);
}

export async function pushersOfUser(db: Queryable, userId: string): Promise<PusherRow[]> {
  const { rows } = await db.query<DbPusher>(`SELECT ${COLUMNS} FROM pushers WHERE user_id = $1 ORDER BY id`, [userId]);
  return rows.map(toPusher);
}

export async function pusherById(db: Queryable, id: number): Promise<PusherRow | undefined> {
  const { rows } = await db.query<DbPusher>(`SELECT ${COLUMNS} FROM pushers WHERE id = $1`, [id]);
  return rows[0] && toPusher(rows[0]);
}

/** Every pusher of these users, in one statement (a consumer batch's recipients). */
export async function pushersOfUsers(db: Queryable, userIds: readonly string[]): Promise<PusherRow[]> {
  if (userIds.length === 0) return [];
  const { rows } = await db.query<DbPusher>(`SELECT ${COLUMNS} FROM pushers WHERE user_id = ANY($1::text[]) ORDER BY id`, [[...new Set(userIds)]]);
  return rows.map(toPusher);
}

/** Prepared: every group commit of the room persisters runs it (planned generically there). */
const PUSH_RULES_AND_PUSHERS_SQL = prepared(
  `SELECT u.user_id, a.content, EXISTS (SELECT 1 FROM pushers p WHERE p.user_id = u.user_id) AS has_pusher
     FROM unnest($1::text[]) AS u(user_id)
     LEFT JOIN account_data a ON a.user_id = u.user_id AND a.room_id = '' AND a.data_type = 'm.push_rules'`,
);

/**
 * The m.push_rules account data of these users and which of them have a pusher, in one statement
 * (the persister evaluates their rules and tags for the pusher only events notifying the latter).
 */
export async function pushRulesAndPushersOf(db: Queryable, userIds: readonly string[]): Promise<{ rules: Map<string, Record<string, unknown>>; withPushers: Set<string> }> {
  if (userIds.length === 0) return { rules: new Map(), withPushers: new Set() };
  const { rows } = await db.query<{ user_id: string; content: Record<string, unknown> | null; has_pusher: boolean }>(PUSH_RULES_AND_PUSHERS_SQL, [[...new Set(userIds)]]);
  return {
    rules: new Map(rows.flatMap((row) => (row.content === null ? [] : [[row.user_id, row.content] as const]))),
    withPushers: new Set(rows.filter((row) => row.has_pusher).map((row) => row.user_id)),
  };
}

/** Records the outcome of a push attempt (failing_since is kept from the first failure on). */
export async function markPusherOutcome(db: Queryable, id: number, outcome: { ok: boolean; at: number }): Promise<void> {
  if (outcome.ok) await db.query('UPDATE pushers SET last_success = $2, failing_since = NULL WHERE id = $1', [id, outcome.at]);
  else await db.query('UPDATE pushers SET failing_since = COALESCE(failing_since, $2) WHERE id = $1', [id, outcome.at]);
}

// --- the outbox ---------------------------------------------------------------------------

export interface PushOutboxInsert {
  readonly pusherId: number;
  readonly userId: string;
  readonly kind: 'event' | 'badge';
  readonly eventId?: string;
  readonly roomId?: string;
  readonly actions?: readonly unknown[];
}

export interface PushOutboxRow extends PushOutboxInsert {
  readonly id: number;
  readonly createdTs: number;
}

/** Enqueues notifications; an event already owed to a pusher is not enqueued twice. One statement. */
export async function enqueuePushes(db: Queryable, rows: readonly PushOutboxInsert[], now: number): Promise<void> {
  if (rows.length === 0) return;
  await db.query(
    `INSERT INTO push_outbox (pusher_id, user_id, kind, event_id, room_id, actions, created_ts)
     SELECT p, u, k, e, r, a::jsonb, $7
       FROM unnest($1::int8[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS x(p, u, k, e, r, a)
     ON CONFLICT (pusher_id, event_id) WHERE event_id IS NOT NULL DO NOTHING`,
    [
      rows.map((row) => row.pusherId),
      rows.map((row) => row.userId),
      rows.map((row) => row.kind),
      rows.map((row) => row.eventId ?? null),
      rows.map((row) => row.roomId ?? null),
      rows.map((row) => (row.actions === undefined ? null : JSON.stringify(row.actions))),
      now,
    ],
  );
}

/** The oldest notifications a pusher is owed, in enqueue order. */
export async function pendingPushes(db: Queryable, pusherId: number, limit: number): Promise<PushOutboxRow[]> {
  const { rows } = await db.query<{ id: number; pusher_id: number; user_id: string; kind: string; event_id: string | null; room_id: string | null; actions: unknown[] | null; created_ts: number }>(
    'SELECT id, pusher_id, user_id, kind, event_id, room_id, actions, created_ts FROM push_outbox WHERE pusher_id = $1 AND sent_ts IS NULL ORDER BY id LIMIT $2',
    [pusherId, limit],
  );
  return rows.map((row) => ({
    id: Number(row.id),
    pusherId: Number(row.pusher_id),
    userId: row.user_id,
    kind: row.kind === 'badge' ? 'badge' : 'event',
    ...(row.event_id === null ? {} : { eventId: row.event_id }),
    ...(row.room_id === null ? {} : { roomId: row.room_id }),
    ...(row.actions === null ? {} : { actions: row.actions }),
    createdTs: Number(row.created_ts),
  }));
}

/** Marks notifications delivered (or given up): they stay until pruned, so they are not enqueued again. */
export async function markPushesSent(db: Queryable, ids: readonly number[], now: number): Promise<void> {
  if (ids.length === 0) return;
  await db.query('UPDATE push_outbox SET sent_ts = $2 WHERE id = ANY($1::int8[])', [ids, now]);
}

/** Forgets notifications sent before `before` (ms). */
export async function pruneSentPushes(db: Queryable, before: number): Promise<void> {
  await db.query('DELETE FROM push_outbox WHERE sent_ts IS NOT NULL AND sent_ts < $1', [before]);
}

/**
 * Users with pushers who are joined to or invited into any of these rooms: whom a batch of events
 * may notify (an invite notifies its target, who is not joined yet).
 */
export async function usersWithPushersIn(db: Queryable, roomIds: readonly string[]): Promise<string[]> {
  if (roomIds.length === 0) return [];
  const { rows } = await db.query<{ user_id: string }>(
    `SELECT DISTINCT m.state_key AS user_id FROM current_state_events m
      WHERE m.room_id = ANY($1::text[]) AND m.type = 'm.room.member' AND m.membership IN ('join', 'invite')
        AND EXISTS (SELECT 1 FROM pushers p WHERE p.user_id = m.state_key)`,
    [[...new Set(roomIds)]],
  );
  return rows.map((row) => row.user_id);
}

/** Pushers with notifications still owed (the pusher role's periodic scan), with their users. */
export async function pushersWithPendingPushes(db: Queryable): Promise<Array<{ pusherId: number; userId: string }>> {
  const { rows } = await db.query<{ pusher_id: number; user_id: string }>('SELECT DISTINCT pusher_id, user_id FROM push_outbox WHERE sent_ts IS NULL');
  return rows.map((row) => ({ pusherId: Number(row.pusher_id), userId: row.user_id }));
}

export interface OwedPush {
  readonly pusherId: number;
  readonly userId: string;
  readonly eventId: string;
  readonly roomId: string;
  readonly actions: readonly unknown[];
}

/**
 * For these events and users, every (pusher, notifying push action) pair: the pushes they cause,
 * in stream order.
 */
export async function pushesOwedForEvents(db: Queryable, eventIds: readonly string[], userIds: readonly string[]): Promise<OwedPush[]> {
  if (eventIds.length === 0 || userIds.length === 0) return [];
  const { rows } = await db.query<{ pusher_id: number; user_id: string; event_id: string; room_id: string; actions: unknown[] }>(
    `SELECT p.id AS pusher_id, a.user_id, a.event_id, a.room_id, a.actions
       FROM event_push_actions a JOIN pushers p ON p.user_id = a.user_id
      WHERE a.event_id = ANY($1::text[]) AND a.user_id = ANY($2::text[]) AND a.notify
      ORDER BY a.stream_ordering, p.id`,
    [[...new Set(eventIds)], [...new Set(userIds)]],
  );
  return rows.map((row) => ({ pusherId: Number(row.pusher_id), userId: row.user_id, eventId: row.event_id, roomId: row.room_id, actions: row.actions }));
}

export interface BadgeCounts {
  /** Rooms with unread notifying events (Synapse's default, group_unread_count_by_room). */
  readonly unread: number;
  /** Unread notifying m.call.invite events across the user's rooms. */
  readonly missedCalls: number;
}

/**
 * The counts a push carries, as Synapse's badge: each pending invite counts one room, and each
 * joined room with notifying events after the user's read receipt (without one, after their
 * join: countsStartSql) another.
 */
export async function badgeCounts(db: Queryable, userId: string): Promise<BadgeCounts> {
  const { rows } = await db.query<{ unread: number }>(
    `SELECT (SELECT count(*) FILTER (WHERE c.notify > 0)
               FROM (${unreadCountsSql('$1', `(SELECT room_id FROM current_state_events WHERE type = 'm.room.member' AND state_key = $1 AND membership = 'join')`, '9223372036854775807')}) c)::int
          + (SELECT count(*) FROM (SELECT DISTINCT ON (room_id) membership FROM room_memberships WHERE user_id = $1 ORDER BY room_id, stream_ordering DESC) m
              WHERE m.membership = 'invite')::int AS unread`,
    [userId],
  );
  const { rows: calls } = await db.query<{ missed: number }>(
    `SELECT count(*)::int AS missed
       FROM event_push_actions p JOIN events e ON e.event_id = p.event_id
       JOIN current_state_events m ON m.room_id = p.room_id AND m.type = 'm.room.member' AND m.state_key = $1 AND m.membership = 'join'
      WHERE p.user_id = $1 AND p.notify AND e.type = 'm.call.invite'
        AND p.stream_ordering > COALESCE((${countsStartSql('$1', 'p.room_id')}), 0)`,
    [userId],
  );
  return { unread: rows[0]?.unread ?? 0, missedCalls: calls[0]?.missed ?? 0 };
}
