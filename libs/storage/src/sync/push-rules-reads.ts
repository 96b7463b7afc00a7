// The users' m.push_rules account data (CS-accounts' account_data table) read for many users in
// one statement: the sync role's push-actions hook evaluates every member of a room for every
// new event, and one read per member per batch was most of its statements.
import type { Queryable } from '../database.ts';

/** Per user with stored m.push_rules (global account data): its content. Users without are absent. */
export async function pushRulesContentOf(db: Queryable, userIds: readonly string[]): Promise<Map<string, Record<string, unknown>>> {
  if (userIds.length === 0) return new Map();
  const { rows } = await db.query<{ user_id: string; content: Record<string, unknown> }>(
    `SELECT user_id, content FROM account_data WHERE user_id = ANY($1::text[]) AND room_id = '' AND data_type = 'm.push_rules'`,
    [[...new Set(userIds)]],
  );
  return new Map(rows.map((row) => [row.user_id, row.content]));
}
