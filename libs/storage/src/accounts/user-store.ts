// Users and their profiles (CS-accounts). Password hashes are opaque strings made by the caller.
import type { Queryable } from '../database.ts';
import { isUniqueViolation } from '../database.ts';

export interface UserRow {
  readonly userId: string;
  readonly passwordHash: string | null;
  readonly createdTs: number;
  readonly admin: boolean;
  readonly isGuest: boolean;
  readonly deactivated: boolean;
}

export interface NewUser {
  readonly userId: string;
  readonly passwordHash: string | null;
  readonly createdTs: number;
  /** Default: false. */
  readonly admin?: boolean;
  /** Default: false. */
  readonly isGuest?: boolean;
  /** Initial display name. Default: none. */
  readonly displayname?: string;
}

export interface ProfileRow {
  readonly displayname: string | null;
  readonly avatarUrl: string | null;
}

interface UserDbRow {
  user_id: string;
  password_hash: string | null;
  created_ts: number;
  admin: boolean;
  is_guest: boolean;
  deactivated: boolean;
}

const toUser = (r: UserDbRow): UserRow => ({
  userId: r.user_id,
  passwordHash: r.password_hash,
  createdTs: r.created_ts,
  admin: r.admin,
  isGuest: r.is_guest,
  deactivated: r.deactivated,
});

/** Inserts a user and an empty profile; false when the user ID is taken. */
export async function insertUser(tx: Queryable, user: NewUser): Promise<boolean> {
  try {
    await tx.query(
      'INSERT INTO users (user_id, password_hash, created_ts, admin, is_guest) VALUES ($1, $2, $3, $4, $5)',
      [user.userId, user.passwordHash, user.createdTs, user.admin ?? false, user.isGuest ?? false],
    );
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
  await tx.query('INSERT INTO profiles (user_id, displayname) VALUES ($1, $2) ON CONFLICT (user_id) DO NOTHING', [
    user.userId,
    user.displayname ?? null,
  ]);
  return true;
}

/**
 * Turns a guest into a full account (registration with guest_access_token): the user ID, rooms
 * and account data stay, the password is set and the guest flag cleared. False when the user
 * is not (or no longer) a guest.
 */
export async function upgradeGuestUser(tx: Queryable, userId: string, passwordHash: string | null): Promise<boolean> {
  const { rowCount } = await tx.query('UPDATE users SET password_hash = $2, is_guest = false WHERE user_id = $1 AND is_guest', [userId, passwordHash]);
  return (rowCount ?? 0) > 0;
}

export async function getUser(db: Queryable, userId: string): Promise<UserRow | undefined> {
  const { rows } = await db.query<UserDbRow>('SELECT * FROM users WHERE user_id = $1', [userId]);
  return rows[0] === undefined ? undefined : toUser(rows[0]);
}

/** Case-insensitive lookup (as Synapse logs in `@Alice:hs` as `@alice:hs`); exact match first. */
export async function findUserCaseInsensitive(db: Queryable, userId: string): Promise<UserRow | undefined> {
  const { rows } = await db.query<UserDbRow>(
    'SELECT * FROM users WHERE lower(user_id) = lower($1) ORDER BY (user_id = $1) DESC LIMIT 1',
    [userId],
  );
  return rows[0] === undefined ? undefined : toUser(rows[0]);
}

export async function setPasswordHash(db: Queryable, userId: string, passwordHash: string | null): Promise<void> {
  await db.query('UPDATE users SET password_hash = $2 WHERE user_id = $1', [userId, passwordHash]);
}

export async function setUserAdmin(db: Queryable, userId: string, admin: boolean): Promise<void> {
  await db.query('UPDATE users SET admin = $2 WHERE user_id = $1', [userId, admin]);
}

/** Marks the user deactivated, drops the password and clears the profile. */
export async function markUserDeactivated(tx: Queryable, userId: string): Promise<void> {
  await tx.query('UPDATE users SET deactivated = true, password_hash = NULL WHERE user_id = $1', [userId]);
  await tx.query('UPDATE profiles SET displayname = NULL, avatar_url = NULL WHERE user_id = $1', [userId]);
}

export async function getProfile(db: Queryable, userId: string): Promise<ProfileRow | undefined> {
  const { rows } = await db.query<{ displayname: string | null; avatar_url: string | null }>(
    'SELECT p.displayname, p.avatar_url FROM users u LEFT JOIN profiles p USING (user_id) WHERE u.user_id = $1',
    [userId],
  );
  const row = rows[0];
  return row === undefined ? undefined : { displayname: row.displayname, avatarUrl: row.avatar_url };
}

/** Sets one profile field (undefined leaves it, null clears it). */
export async function updateProfile(db: Queryable, userId: string, fields: Partial<ProfileRow>): Promise<void> {
  await db.query(
    `INSERT INTO profiles (user_id, displayname, avatar_url) VALUES ($1, $3, $5)
       ON CONFLICT (user_id) DO UPDATE SET
         displayname = CASE WHEN $2 THEN EXCLUDED.displayname ELSE profiles.displayname END,
         avatar_url = CASE WHEN $4 THEN EXCLUDED.avatar_url ELSE profiles.avatar_url END`,
    [userId, fields.displayname !== undefined, fields.displayname ?? null, fields.avatarUrl !== undefined, fields.avatarUrl ?? null],
  );
}
