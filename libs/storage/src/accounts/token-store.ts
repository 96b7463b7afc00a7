// Access and refresh tokens (CS-accounts), looked up by the SHA-256 digest of the token: the
// clear token exists only in the response that hands it to the client.
import type { Database, Listening, Queryable } from '../database.ts';

/**
 * Calls `onUser` with the user ID of every committed change that may change what one of the
 * user's access tokens resolves to (migration 2001's triggers): a token revoked or changed, a
 * deactivation, lock, admin or shadow-ban flag, a guest upgraded.
 */
export function listenToAccessTokenChanges(db: Database, onUser: (userId: string) => void): Promise<Listening> {
  return db.listen('hs_access_tokens', onUser);
}

export interface AccessTokenInfo {
  readonly id: number;
  readonly userId: string;
  readonly deviceId: string;
  /** Expiry in ms since the epoch, or null for tokens that never expire. */
  readonly validUntilMs: number | null;
  readonly refreshTokenId: number | null;
  readonly used: boolean;
  readonly isGuest: boolean;
  readonly deactivated: boolean;
  readonly admin: boolean;
  /** Locked by an admin: every request answers 401 M_USER_LOCKED. */
  readonly locked: boolean;
  readonly shadowBanned: boolean;
}

export interface RefreshTokenInfo {
  readonly id: number;
  readonly userId: string;
  readonly deviceId: string;
  readonly nextTokenId: number | null;
}

export async function insertAccessToken(
  tx: Queryable,
  token: { tokenHash: string; userId: string; deviceId: string; validUntilMs: number | null; refreshTokenId: number | null; createdTs: number },
): Promise<number> {
  const { rows } = await tx.query<{ id: number }>(
    `INSERT INTO access_tokens (token_hash, user_id, device_id, valid_until_ms, refresh_token_id, created_ts)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [token.tokenHash, token.userId, token.deviceId, token.validUntilMs, token.refreshTokenId, token.createdTs],
  );
  return rows[0]!.id;
}

export async function lookupAccessToken(db: Queryable, tokenHash: string): Promise<AccessTokenInfo | undefined> {
  return (await lookupAccessTokens(db, [tokenHash])).get(tokenHash);
}

/** Several tokens in one statement (BatchedLookup): each found token's info by its digest. */
export async function lookupAccessTokens(db: Queryable, tokenHashes: readonly string[]): Promise<Map<string, AccessTokenInfo>> {
  const { rows } = await db.query<{
    token_hash: string;
    id: number;
    user_id: string;
    device_id: string;
    valid_until_ms: number | null;
    refresh_token_id: number | null;
    used: boolean;
    is_guest: boolean | null;
    deactivated: boolean | null;
    admin: boolean | null;
    locked: boolean | null;
    shadow_banned: boolean | null;
  }>(
    `SELECT t.token_hash, t.id, t.user_id, t.device_id, t.valid_until_ms, t.refresh_token_id, t.used, u.is_guest, u.deactivated, u.admin, u.locked, u.shadow_banned
       FROM access_tokens t LEFT JOIN users u USING (user_id) WHERE t.token_hash = ANY($1::text[])`,
    [tokenHashes],
  );
  return new Map(
    rows.map((r) => [
      r.token_hash,
      {
        id: r.id,
        userId: r.user_id,
        deviceId: r.device_id,
        validUntilMs: r.valid_until_ms,
        refreshTokenId: r.refresh_token_id,
        used: r.used,
        isGuest: r.is_guest === true,
        deactivated: r.deactivated === true,
        admin: r.admin === true,
        locked: r.locked === true,
        shadowBanned: r.shadow_banned === true,
      },
    ]),
  );
}

/**
 * Marks a refreshed access token used and revokes the refresh token(s) it replaced (with their
 * access tokens): from now on only the new pair is valid.
 */
export async function markAccessTokenUsed(tx: Queryable, tokenId: number, refreshTokenId: number | null): Promise<void> {
  await tx.query('UPDATE access_tokens SET used = true WHERE id = $1', [tokenId]);
  if (refreshTokenId !== null) await tx.query('DELETE FROM refresh_tokens WHERE next_token_id = $1', [refreshTokenId]);
}

export async function deleteAccessToken(db: Queryable, tokenId: number): Promise<void> {
  await db.query('DELETE FROM access_tokens WHERE id = $1', [tokenId]);
}

export async function insertRefreshToken(
  tx: Queryable,
  token: { tokenHash: string; userId: string; deviceId: string; createdTs: number },
): Promise<number> {
  const { rows } = await tx.query<{ id: number }>(
    'INSERT INTO refresh_tokens (token_hash, user_id, device_id, created_ts) VALUES ($1, $2, $3, $4) RETURNING id',
    [token.tokenHash, token.userId, token.deviceId, token.createdTs],
  );
  return rows[0]!.id;
}

export async function lookupRefreshToken(db: Queryable, tokenHash: string): Promise<RefreshTokenInfo | undefined> {
  const { rows } = await db.query<{ id: number; user_id: string; device_id: string; next_token_id: number | null }>(
    'SELECT id, user_id, device_id, next_token_id FROM refresh_tokens WHERE token_hash = $1',
    [tokenHash],
  );
  const r = rows[0];
  return r === undefined ? undefined : { id: r.id, userId: r.user_id, deviceId: r.device_id, nextTokenId: r.next_token_id };
}

/**
 * Links a consumed refresh token to its successor. A successor minted by an earlier use of the
 * same (still unrevoked) token is dropped, with its access tokens: only the newest pair lives.
 * The consumed token's own access tokens are revoked at once.
 */
export async function replaceRefreshToken(tx: Queryable, oldId: number, nextId: number): Promise<void> {
  const { rows } = await tx.query<{ next_token_id: number | null }>(
    'SELECT next_token_id FROM refresh_tokens WHERE id = $1 FOR UPDATE',
    [oldId],
  );
  await tx.query('UPDATE refresh_tokens SET next_token_id = $2 WHERE id = $1', [oldId, nextId]);
  const previous = rows[0]?.next_token_id;
  if (previous !== null && previous !== undefined) await tx.query('DELETE FROM refresh_tokens WHERE id = $1', [previous]);
  await tx.query('DELETE FROM access_tokens WHERE refresh_token_id = $1', [oldId]);
  // Using a token proves its predecessor is no longer needed by the client.
  await tx.query('DELETE FROM refresh_tokens WHERE next_token_id = $1', [oldId]);
}

/** Deletes a user's access and refresh tokens, optionally except the token (and device) in use. */
export async function deleteUserTokens(
  tx: Queryable,
  userId: string,
  options: { exceptTokenId?: number; exceptDeviceId?: string } = {},
): Promise<number> {
  const { rowCount } = await tx.query(
    'DELETE FROM access_tokens WHERE user_id = $1 AND id <> $2 AND ($3::text IS NULL OR device_id <> $3)',
    [userId, options.exceptTokenId ?? -1, options.exceptDeviceId ?? null],
  );
  await tx.query('DELETE FROM refresh_tokens WHERE user_id = $1 AND ($2::text IS NULL OR device_id <> $2)', [userId, options.exceptDeviceId ?? null]);
  return rowCount;
}

/** Gives an access token an expiry (an admin's login as a user with valid_until_ms). */
export async function setAccessTokenExpiry(db: Queryable, tokenHash: string, validUntilMs: number): Promise<void> {
  await db.query('UPDATE access_tokens SET valid_until_ms = $2 WHERE token_hash = $1', [tokenHash, validUntilMs]);
}
