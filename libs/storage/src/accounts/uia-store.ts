// User-interactive authentication sessions (CS-accounts): which stages a session completed and
// which request it was opened for.
import type { Queryable } from '../database.ts';

export interface UiaSessionRow {
  readonly sessionId: string;
  readonly createdTs: number;
  readonly uri: string;
  readonly method: string;
  /** The user the session authenticated, once a password stage identified them. */
  readonly userId: string | null;
  readonly completed: readonly string[];
}

export async function insertUiaSession(
  db: Queryable,
  session: { sessionId: string; createdTs: number; uri: string; method: string },
): Promise<void> {
  await db.query('INSERT INTO ui_auth_sessions (session_id, created_ts, uri, method) VALUES ($1, $2, $3, $4)', [
    session.sessionId,
    session.createdTs,
    session.uri,
    session.method,
  ]);
}

export async function getUiaSession(db: Queryable, sessionId: string): Promise<UiaSessionRow | undefined> {
  const { rows } = await db.query<{ session_id: string; created_ts: number; uri: string; method: string; user_id: string | null; completed: string[] }>(
    'SELECT * FROM ui_auth_sessions WHERE session_id = $1',
    [sessionId],
  );
  const r = rows[0];
  return r === undefined
    ? undefined
    : { sessionId: r.session_id, createdTs: r.created_ts, uri: r.uri, method: r.method, userId: r.user_id, completed: r.completed };
}

/** Adds a completed stage (idempotent) and, when given, the authenticated user. */
export async function completeUiaStage(db: Queryable, sessionId: string, stage: string, userId?: string): Promise<void> {
  await db.query(
    `UPDATE ui_auth_sessions SET
       completed = CASE WHEN completed ? $2 THEN completed ELSE completed || to_jsonb($2::text) END,
       user_id = COALESCE($3, user_id)
     WHERE session_id = $1`,
    [sessionId, stage, userId ?? null],
  );
}

export async function deleteUiaSession(db: Queryable, sessionId: string): Promise<void> {
  await db.query('DELETE FROM ui_auth_sessions WHERE session_id = $1', [sessionId]);
}

/** Drops sessions created before `beforeTs`; returns how many. */
export async function pruneUiaSessions(db: Queryable, beforeTs: number): Promise<number> {
  const { rowCount } = await db.query('DELETE FROM ui_auth_sessions WHERE created_ts < $1', [beforeTs]);
  return rowCount;
}
