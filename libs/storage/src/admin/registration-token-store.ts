// Registration tokens (MSC3231, Synapse's registration_tokens): created by admins, spent by
// m.login.registration_token. `pending` counts sessions that passed the stage and have not
// finished registering, `completed` the registrations made with the token; a token is valid
// while pending + completed < uses_allowed (or unlimited) and it has not expired.
import type { Queryable } from '../database.ts';
import { isUniqueViolation } from '../database.ts';

export interface RegistrationToken {
  readonly token: string;
  /** null: unlimited. */
  readonly usesAllowed: number | null;
  readonly pending: number;
  readonly completed: number;
  /** ms since the epoch; null: never expires. */
  readonly expiryTime: number | null;
}

interface TokenDbRow {
  token: string;
  uses_allowed: number | null;
  pending: number;
  completed: number;
  expiry_time: number | null;
}

const toToken = (r: TokenDbRow): RegistrationToken => ({ token: r.token, usesAllowed: r.uses_allowed, pending: r.pending, completed: r.completed, expiryTime: r.expiry_time });

const VALID = '(uses_allowed IS NULL OR pending + completed < uses_allowed) AND (expiry_time IS NULL OR expiry_time > $1)';

/** All tokens; `valid` true keeps only usable ones, false only unusable ones, undefined all. */
export async function listRegistrationTokens(db: Queryable, options: { valid?: boolean; now: number }): Promise<RegistrationToken[]> {
  const where = options.valid === undefined ? 'WHERE $1::int8 IS NOT NULL' : options.valid ? `WHERE ${VALID}` : `WHERE NOT (${VALID})`;
  const { rows } = await db.query<TokenDbRow>(`SELECT * FROM registration_tokens ${where} ORDER BY token`, [options.now]);
  return rows.map(toToken);
}

export async function getRegistrationToken(db: Queryable, token: string): Promise<RegistrationToken | undefined> {
  const { rows } = await db.query<TokenDbRow>('SELECT * FROM registration_tokens WHERE token = $1', [token]);
  return rows[0] === undefined ? undefined : toToken(rows[0]);
}

/** false when the token already exists. */
export async function insertRegistrationToken(db: Queryable, token: Pick<RegistrationToken, 'token' | 'usesAllowed' | 'expiryTime'>): Promise<boolean> {
  try {
    await db.query('INSERT INTO registration_tokens (token, uses_allowed, expiry_time) VALUES ($1, $2, $3)', [token.token, token.usesAllowed, token.expiryTime]);
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

/** Updates the fields given; the updated token, or undefined when there is none. */
export async function updateRegistrationToken(
  db: Queryable,
  token: string,
  fields: { usesAllowed?: number | null; expiryTime?: number | null },
): Promise<RegistrationToken | undefined> {
  const { rows } = await db.query<TokenDbRow>(
    `UPDATE registration_tokens SET
       uses_allowed = CASE WHEN $2 THEN $3::int8 ELSE uses_allowed END,
       expiry_time = CASE WHEN $4 THEN $5::int8 ELSE expiry_time END
     WHERE token = $1 RETURNING *`,
    [token, fields.usesAllowed !== undefined, fields.usesAllowed ?? null, fields.expiryTime !== undefined, fields.expiryTime ?? null],
  );
  return rows[0] === undefined ? undefined : toToken(rows[0]);
}

export async function deleteRegistrationToken(db: Queryable, token: string): Promise<boolean> {
  return (await db.query('DELETE FROM registration_tokens WHERE token = $1', [token])).rowCount > 0;
}

/** Whether the token may be used now (exists, uses left, not expired). */
export async function isRegistrationTokenValid(db: Queryable, token: string, now: number): Promise<boolean> {
  const { rows } = await db.query(`SELECT 1 FROM registration_tokens WHERE token = $2 AND ${VALID}`, [now, token]);
  return rows.length > 0;
}

/** A session passed the stage: counts as pending, atomically with the validity check. */
export async function reserveRegistrationToken(db: Queryable, token: string, now: number): Promise<boolean> {
  const { rowCount } = await db.query(`UPDATE registration_tokens SET pending = pending + 1 WHERE token = $2 AND ${VALID}`, [now, token]);
  return rowCount > 0;
}

/** The session that reserved the token registered: pending becomes completed. */
export async function completeRegistrationToken(db: Queryable, token: string): Promise<void> {
  await db.query('UPDATE registration_tokens SET pending = greatest(pending - 1, 0), completed = completed + 1 WHERE token = $1', [token]);
}
