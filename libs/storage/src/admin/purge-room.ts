// Removing every trace of a room from the database (DELETE /_synapse/admin/v2/rooms with purge),
// and a room's history before a point (purge_history). Tables are found by their room_id column,
// so rooms data added by any area is purged without this file listing it.
import type { Queryable } from '../database.ts';

// Kept on purge: the block (it must outlive the room) and users' own key backups.
const KEPT_TABLES = new Set(['blocked_rooms', 'e2e_room_keys']);

/** Deletes the room's rows from every table with a room_id column; returns the tables touched. */
export async function purgeRoomData(tx: Queryable, roomId: string): Promise<string[]> {
  const { rows } = await tx.query<{ table_name: string }>(
    "SELECT DISTINCT table_name FROM information_schema.columns WHERE table_schema = current_schema() AND column_name = 'room_id' ORDER BY table_name",
  );
  // State group entries are keyed by group, not room: delete them while the groups are known.
  await tx.query('DELETE FROM state_group_entries WHERE state_group IN (SELECT id FROM state_groups WHERE room_id = $1)', [roomId]);
  const touched: string[] = [];
  for (const { table_name: table } of rows) {
    if (KEPT_TABLES.has(table)) continue;
    const { rowCount } = await tx.query(`DELETE FROM "${table.replace(/"/g, '""')}" WHERE room_id = $1`, [roomId]);
    if (rowCount > 0) touched.push(table);
  }
  return touched;
}
