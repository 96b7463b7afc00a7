// Users as the admin API sees them (Synapse's get_users_paginate and get_user_by_id): flags,
// profile, erasure and last-seen time in one row, listed with Synapse's filters and orders.
import type { Queryable } from '../database.ts';

/** The columns GET /_synapse/admin/v2/users may order by (Synapse's UserSortOrder values). */
export const USER_ORDER_COLUMNS = {
  name: 'u.user_id',
  displayname: 'p.displayname',
  is_guest: 'u.is_guest',
  admin: 'u.admin',
  deactivated: 'u.deactivated',
  user_type: 'u.user_type',
  avatar_url: 'p.avatar_url',
  shadow_banned: 'u.shadow_banned',
  creation_ts: 'u.created_ts',
  last_seen_ts: 'ls.last_seen_ts',
  locked: 'u.locked',
} as const;

export type UserOrder = keyof typeof USER_ORDER_COLUMNS;

export interface AdminUserRow {
  readonly userId: string;
  readonly userType: string | null;
  readonly isGuest: boolean;
  readonly admin: boolean;
  readonly deactivated: boolean;
  readonly shadowBanned: boolean;
  readonly locked: boolean;
  readonly displayname: string | null;
  readonly avatarUrl: string | null;
  /** Milliseconds since the epoch. */
  readonly createdTs: number;
  readonly erased: boolean;
  /** Latest device activity, or null when no device was ever seen. */
  readonly lastSeenTs: number | null;
}

export interface ListUsersOptions {
  readonly from: number;
  readonly limit: number;
  /** Substring of the localpart or display name (Synapse's `name`). Default: none. */
  readonly name?: string;
  /** Substring of the user ID (Synapse's `user_id`; ignored when `name` is given). Default: none. */
  readonly userId?: string;
  /** Default: true (guests listed). */
  readonly guests?: boolean;
  /** true: only deactivated, false: only active, undefined: both. */
  readonly deactivated?: boolean;
  /** true: only admins, false: only non-admins, undefined: both. */
  readonly admins?: boolean;
  /** Default: false (locked users left out, as Synapse). */
  readonly locked?: boolean;
  /** Default: 'name'. */
  readonly orderBy?: UserOrder;
  /** Default: 'f' (ascending). */
  readonly dir?: 'f' | 'b';
}

interface UserDbRow {
  user_id: string;
  user_type: string | null;
  is_guest: boolean;
  admin: boolean;
  deactivated: boolean;
  shadow_banned: boolean;
  locked: boolean;
  displayname: string | null;
  avatar_url: string | null;
  created_ts: number;
  erased: boolean;
  last_seen_ts: number | null;
}

const SELECT_FROM = `
  SELECT u.user_id, u.user_type, u.is_guest, u.admin, u.deactivated, u.shadow_banned, u.locked,
         p.displayname, p.avatar_url, u.created_ts, (eu.user_id IS NOT NULL) AS erased, ls.last_seen_ts
    FROM users u
    LEFT JOIN profiles p USING (user_id)
    LEFT JOIN erased_users eu USING (user_id)
    LEFT JOIN (SELECT user_id, max(last_seen_ts) AS last_seen_ts FROM devices GROUP BY user_id) ls USING (user_id)`;

const toRow = (r: UserDbRow): AdminUserRow => ({
  userId: r.user_id,
  userType: r.user_type,
  isGuest: r.is_guest,
  admin: r.admin,
  deactivated: r.deactivated,
  shadowBanned: r.shadow_banned,
  locked: r.locked,
  displayname: r.displayname,
  avatarUrl: r.avatar_url,
  createdTs: r.created_ts,
  erased: r.erased,
  lastSeenTs: r.last_seen_ts,
});

/** Escapes LIKE wildcards so a search term matches literally. */
function likeLiteral(term: string): string {
  return term.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export async function listUsersForAdmin(db: Queryable, options: ListUsersOptions): Promise<{ users: AdminUserRow[]; total: number }> {
  const filters: string[] = [];
  const args: unknown[] = [];
  const arg = (value: unknown) => {
    args.push(value);
    return `$${args.length}`;
  };
  if (options.name !== undefined) {
    const term = likeLiteral(options.name.toLowerCase());
    filters.push(`(lower(u.user_id) LIKE ${arg(`@%${term}%:%`)} OR lower(p.displayname) LIKE ${arg(`%${term}%`)})`);
  } else if (options.userId !== undefined) {
    filters.push(`lower(u.user_id) LIKE ${arg(`%${likeLiteral(options.userId.toLowerCase())}%`)}`);
  }
  if (options.guests === false) filters.push('NOT u.is_guest');
  if (options.deactivated !== undefined) filters.push(options.deactivated ? 'u.deactivated' : 'NOT u.deactivated');
  if (options.admins !== undefined) filters.push(options.admins ? 'u.admin' : 'NOT u.admin');
  if (options.locked !== true) filters.push('NOT u.locked');
  const where = filters.length > 0 ? `WHERE ${filters.join(' AND ')}` : '';
  const order = options.dir === 'b' ? 'DESC' : 'ASC';
  const column = USER_ORDER_COLUMNS[options.orderBy ?? 'name'];
  const { rows: countRows } = await db.query<{ total: number }>(`SELECT count(*)::int8 AS total FROM (${SELECT_FROM} ${where}) t`, args);
  const { rows } = await db.query<UserDbRow>(
    `${SELECT_FROM} ${where} ORDER BY ${column} ${order} NULLS ${order === 'ASC' ? 'FIRST' : 'LAST'}, u.user_id ASC LIMIT ${arg(options.limit)} OFFSET ${arg(options.from)}`,
    args,
  );
  return { users: rows.map(toRow), total: countRows[0]?.total ?? 0 };
}

export async function getUserForAdmin(db: Queryable, userId: string): Promise<AdminUserRow | undefined> {
  const { rows } = await db.query<UserDbRow>(`${SELECT_FROM} WHERE u.user_id = $1`, [userId]);
  return rows[0] === undefined ? undefined : toRow(rows[0]);
}

/** Sets the admin-managed flags given (undefined leaves a flag as it is). */
export async function setUserFlags(db: Queryable, userId: string, flags: { locked?: boolean; shadowBanned?: boolean; userType?: string | null; deactivated?: boolean }): Promise<void> {
  const sets: string[] = [];
  const args: unknown[] = [userId];
  const set = (column: string, value: unknown) => {
    args.push(value);
    sets.push(`${column} = $${args.length}`);
  };
  if (flags.locked !== undefined) set('locked', flags.locked);
  if (flags.shadowBanned !== undefined) set('shadow_banned', flags.shadowBanned);
  if (flags.userType !== undefined) set('user_type', flags.userType);
  if (flags.deactivated !== undefined) set('deactivated', flags.deactivated);
  if (sets.length === 0) return;
  await db.query(`UPDATE users SET ${sets.join(', ')} WHERE user_id = $1`, args);
}

/** Records that a deactivated user asked for erasure (or clears it on reactivation). */
export async function setUserErased(db: Queryable, userId: string, erased: boolean): Promise<void> {
  if (erased) await db.query('INSERT INTO erased_users (user_id) VALUES ($1) ON CONFLICT DO NOTHING', [userId]);
  else await db.query('DELETE FROM erased_users WHERE user_id = $1', [userId]);
}

export interface RatelimitOverride {
  readonly messagesPerSecond: number;
  readonly burstCount: number;
}

export async function getRatelimitOverride(db: Queryable, userId: string): Promise<RatelimitOverride | undefined> {
  const { rows } = await db.query<{ messages_per_second: number; burst_count: number }>('SELECT messages_per_second, burst_count FROM ratelimit_override WHERE user_id = $1', [userId]);
  const row = rows[0];
  return row === undefined ? undefined : { messagesPerSecond: row.messages_per_second, burstCount: row.burst_count };
}

/** Sets (or with undefined, removes) a user's message rate-limit override. */
export async function setRatelimitOverride(db: Queryable, userId: string, override: RatelimitOverride | undefined): Promise<void> {
  if (override === undefined) {
    await db.query('DELETE FROM ratelimit_override WHERE user_id = $1', [userId]);
    return;
  }
  await db.query(
    `INSERT INTO ratelimit_override (user_id, messages_per_second, burst_count) VALUES ($1, $2, $3)
       ON CONFLICT (user_id) DO UPDATE SET messages_per_second = EXCLUDED.messages_per_second, burst_count = EXCLUDED.burst_count`,
    [userId, override.messagesPerSecond, override.burstCount],
  );
}

/** Whether a (local) user ID exists at all, deactivated or not. */
export async function userExists(db: Queryable, userId: string): Promise<boolean> {
  const { rows } = await db.query('SELECT 1 FROM users WHERE lower(user_id) = lower($1) LIMIT 1', [userId]);
  return rows.length > 0;
}

/** Every stored override, by user (only users an admin exempted have one). */
export async function listRatelimitOverrides(db: Queryable): Promise<Map<string, RatelimitOverride>> {
  const { rows } = await db.query<{ user_id: string; messages_per_second: number; burst_count: number }>('SELECT user_id, messages_per_second, burst_count FROM ratelimit_override');
  return new Map(rows.map((r) => [r.user_id, { messagesPerSecond: r.messages_per_second, burstCount: r.burst_count }]));
}
