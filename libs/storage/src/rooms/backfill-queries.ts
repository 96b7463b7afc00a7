// What /messages needs to backfill a room from other servers: the events the timeline's oldest
// held events point back to but that are not held in it (missing, or known only as outliers).
import type { Queryable } from '../database.ts';

/**
 * The room's backward extremities: prev events of timeline events that are not in the
 * timeline here, those of the oldest events (lowest depth) first.
 */
export async function getBackwardExtremities(db: Queryable, roomId: string, limit: number): Promise<string[]> {
  const { rows } = await db.query<{ prev_event_id: string }>(
    `SELECT g.prev_event_id, min(e.depth) AS depth FROM event_edges g
       JOIN events e ON e.event_id = g.event_id
       LEFT JOIN events p ON p.event_id = g.prev_event_id
      WHERE g.room_id = $1 AND NOT e.outlier AND e.rejected IS NULL AND (p.event_id IS NULL OR p.outlier)
      GROUP BY g.prev_event_id ORDER BY depth ASC, g.prev_event_id LIMIT $2`,
    [roomId, limit],
  );
  return rows.map((row) => row.prev_event_id);
}
