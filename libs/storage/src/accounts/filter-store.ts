// Stored sync filters (CS-accounts): per user, numbered from 0 like Synapse's.
import type { Queryable } from '../database.ts';

/** Stores a filter and returns its ID; an identical filter of the user is reused. */
export async function insertFilter(tx: Queryable, userId: string, filter: Record<string, unknown>): Promise<number> {
  const json = JSON.stringify(filter);
  const { rows: existing } = await tx.query<{ filter_id: number }>(
    'SELECT filter_id FROM user_filters WHERE user_id = $1 AND filter_json = $2::jsonb LIMIT 1',
    [userId, json],
  );
  if (existing[0] !== undefined) return existing[0].filter_id;
  // Serialise ID allocation per user without a sequence: lock the user's row.
  await tx.query('SELECT 1 FROM users WHERE user_id = $1 FOR UPDATE', [userId]);
  const { rows } = await tx.query<{ filter_id: number }>(
    `INSERT INTO user_filters (user_id, filter_id, filter_json)
       SELECT $1, COALESCE(MAX(filter_id) + 1, 0), $2::jsonb FROM user_filters WHERE user_id = $1
     RETURNING filter_id`,
    [userId, json],
  );
  return rows[0]!.filter_id;
}

export async function getFilter(db: Queryable, userId: string, filterId: number): Promise<Record<string, unknown> | undefined> {
  const { rows } = await db.query<{ filter_json: Record<string, unknown> }>(
    'SELECT filter_json FROM user_filters WHERE user_id = $1 AND filter_id = $2',
    [userId, filterId],
  );
  return rows[0]?.filter_json;
}
