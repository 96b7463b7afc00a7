// Pagination sessions of GET /hierarchy: the traversal state (rooms still queued, rooms done) a
// `next_batch` token stands for, kept in the database so any main process can continue a
// walk another one started. Sessions belong to one user and expire.
import { randomBytes } from 'node:crypto';
import type { Queryable } from '../database.ts';

export interface HierarchySession {
  readonly userId: string;
  /** The traversal state, as the hierarchy handler serialised it. */
  readonly value: string;
}

/** Stores a session and returns its token; expired sessions are pruned on the way. */
export async function createHierarchySession(db: Queryable, session: HierarchySession, options: { now: number; lifetimeMs: number }): Promise<string> {
  await db.query('DELETE FROM room_hierarchy_sessions WHERE expiry_ts <= $1', [options.now]);
  const id = randomBytes(18).toString('base64url');
  await db.query('INSERT INTO room_hierarchy_sessions (session_id, user_id, value, expiry_ts) VALUES ($1, $2, $3, $4)', [
    id,
    session.userId,
    session.value,
    options.now + options.lifetimeMs,
  ]);
  return id;
}

/** The session behind a token, if it exists, is unexpired and belongs to `userId`. */
export async function getHierarchySession(db: Queryable, sessionId: string, options: { userId: string; now: number }): Promise<string | undefined> {
  const { rows } = await db.query<{ value: string }>('SELECT value FROM room_hierarchy_sessions WHERE session_id = $1 AND user_id = $2 AND expiry_ts > $3', [
    sessionId,
    options.userId,
    options.now,
  ]);
  return rows[0]?.value;
}
