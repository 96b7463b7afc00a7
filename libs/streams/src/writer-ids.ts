// Writer ids kept in PostgreSQL (table stream_writer_ids), so every process encodes and decodes
// tokens alike. Ids are assigned on first registration and never change or get reused.
import type { Queryable } from '@homeserver/storage';
import { MemoryWriterIds, type WriterIds } from './stream-token.ts';

/** Registers `names` (if new) and returns a mapping of every writer known to the database. */
export async function loadWriterIds(db: Queryable, names: Iterable<string> = []): Promise<WriterIds> {
  for (const name of names) {
    await db.query('INSERT INTO stream_writer_ids (instance_name) VALUES ($1) ON CONFLICT (instance_name) DO NOTHING', [name]);
  }
  const { rows } = await db.query<{ id: number; instance_name: string }>('SELECT id, instance_name FROM stream_writer_ids');
  const ids = new MemoryWriterIds();
  for (const row of rows) ids.add(row.instance_name, row.id);
  return ids;
}
