// Timestamps for local create events, strictly increasing per sender across every process (see
// migrations/1600_room_create_clock.sql): v12 room IDs hash the create event, so two of one
// user's create events must never share origin_server_ts.
import type { Queryable } from '../database.ts';

/**
 * The origin_server_ts for `sender`'s next create event: `now`, or one past the last one handed
 * out when that is not earlier. Atomic (one upsert under the row's lock).
 */
export async function nextCreateEventTimestamp(db: Queryable, sender: string, now: number): Promise<number> {
  const { rows } = await db.query<{ last_ts: string | number }>(
    `INSERT INTO room_create_clock (sender, last_ts) VALUES ($1, $2)
     ON CONFLICT (sender) DO UPDATE SET last_ts = GREATEST(room_create_clock.last_ts + 1, EXCLUDED.last_ts)
     RETURNING last_ts`,
    [sender, now],
  );
  return Number(rows[0]!.last_ts);
}
