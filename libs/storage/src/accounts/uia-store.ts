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
  /** The parameters of the request that opened the session (its body without `auth`). */
  readonly clientDict: Record<string, unknown> | null;
  /** Registration sessions: the user the completed session registered. */
  readonly registeredUserId: string | null;
}

export async function insertUiaSession(
  db: Queryable,
  session: { sessionId: string; createdTs: number; uri: string; method: string; clientDict?: Record<string, unknown> },
): Promise<void> {
  await db.query('INSERT INTO ui_auth_sessions (session_id, created_ts, uri, method, client_dict) VALUES ($1, $2, $3, $4, $5)', [
    session.sessionId,
    session.createdTs,
    session.uri,
    session.method,
    session.clientDict === undefined ? null : JSON.stringify(session.clientDict),
  ]);
}

/** Replaces the parameters the session remembers. */
export async function setUiaClientDict(db: Queryable, sessionId: string, clientDict: Record<string, unknown>): Promise<void> {
  await db.query('UPDATE ui_auth_sessions SET client_dict = $2 WHERE session_id = $1', [sessionId, JSON.stringify(clientDict)]);
}

/** Records the user a registration session registered. */
export async function setUiaRegisteredUser(db: Queryable, sessionId: string, userId: string): Promise<void> {
  await db.query('UPDATE ui_auth_sessions SET registered_user_id = $2 WHERE session_id = $1', [sessionId, userId]);
}

export async function getUiaSession(db: Queryable, sessionId: string): Promise<UiaSessionRow | undefined> {
  const { rows } = await db.query<{
    session_id: string;
    created_ts: number;
    uri: string;
    method: string;
    user_id: string | null;
    completed: string[];
    client_dict: Record<string, unknown> | null;
    registered_user_id: string | null;
  }>(
    'SELECT * FROM ui_auth_sessions WHERE session_id = $1',
    [sessionId],
  );
  const r = rows[0];
  return r === undefined
    ? undefined
    : {
        sessionId: r.session_id,
        createdTs: Number(r.created_ts),
        uri: r.uri,
        method: r.method,
        userId: r.user_id,
        completed: r.completed,
        clientDict: r.client_dict,
        registeredUserId: r.registered_user_id,
      };
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
