// OpenID tokens: issued to a user by POST /user/{userId}/openid/request_token, exchanged by a
// third party for the user's ID through the federation /openid/userinfo endpoint. Only the
// token's digest is stored (the caller hashes), as for access tokens.
import type { Queryable } from '../database.ts';

export async function insertOpenIdToken(db: Queryable, token: { readonly tokenHash: string; readonly userId: string; readonly validUntilMs: number }): Promise<void> {
  await db.query('INSERT INTO open_id_tokens (token_hash, user_id, ts_valid_until_ms) VALUES ($1, $2, $3)', [token.tokenHash, token.userId, token.validUntilMs]);
}

/** The user an unexpired token was issued to, or undefined. */
export async function userIdForOpenIdToken(db: Queryable, tokenHash: string, options: { readonly now: number }): Promise<string | undefined> {
  const { rows } = await db.query<{ user_id: string }>('SELECT user_id FROM open_id_tokens WHERE token_hash = $1 AND ts_valid_until_ms >= $2', [tokenHash, options.now]);
  return rows[0]?.user_id;
}

/** Deletes tokens that expired before `now`; returns how many. */
export async function pruneOpenIdTokens(db: Queryable, options: { readonly now: number }): Promise<number> {
  const result = await db.query('DELETE FROM open_id_tokens WHERE ts_valid_until_ms < $1', [options.now]);
  return result.rowCount;
}
