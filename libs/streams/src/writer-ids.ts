// Writer ids kept in PostgreSQL (table stream_writer_ids), so every process encodes and decodes
// tokens alike. Ids are assigned on first registration and never change or get reused. Every
// StreamWriter registers its name when it starts, so a writer added while the cluster runs (a
// third event persister) has an id before any reader sees its first row; readers learn it by
// refreshing when they meet a name or id they do not know (LiveWriterIds).
import type { Queryable } from '@homeserver/storage';
import { InvalidStreamTokenError, MemoryWriterIds, type WriterIds } from './stream-token.ts';

/** Gives `name` an id if it has none. */
export async function registerWriterId(db: Queryable, name: string): Promise<void> {
  await db.query('INSERT INTO stream_writer_ids (instance_name) VALUES ($1) ON CONFLICT (instance_name) DO NOTHING', [name]);
}

/** Registers `names` (if new) and returns a mapping of every writer known to the database. */
export async function loadWriterIds(db: Queryable, names: Iterable<string> = []): Promise<WriterIds> {
  for (const name of names) await registerWriterId(db, name);
  const { rows } = await db.query<{ id: number; instance_name: string }>('SELECT id, instance_name FROM stream_writer_ids');
  const ids = new MemoryWriterIds();
  for (const row of rows) ids.add(row.instance_name, row.id);
  return ids;
}

/**
 * Writer ids that follow the database: encode and decode synchronously from what is loaded, and
 * refresh (once per unknown name or id) before a caller meets a writer that joined later.
 */
export class LiveWriterIds implements WriterIds {
  #db: Queryable;
  #ids: WriterIds;
  #refreshing: Promise<void> | undefined;

  private constructor(db: Queryable, ids: WriterIds) {
    this.#db = db;
    this.#ids = ids;
  }

  static async load(db: Queryable, names: Iterable<string> = []): Promise<LiveWriterIds> {
    return new LiveWriterIds(db, await loadWriterIds(db, names));
  }

  idOf(writer: string): number {
    return this.#ids.idOf(writer);
  }

  nameOf(id: number): string {
    return this.#ids.nameOf(id);
  }

  /** Makes sure every name has an id (reloading, and registering a name still unknown after that). */
  async ensureNames(names: Iterable<string>): Promise<void> {
    const unknown = [...names].filter((name) => !this.#knows(() => this.#ids.idOf(name)));
    if (unknown.length === 0) return;
    await this.refresh();
    const still = unknown.filter((name) => !this.#knows(() => this.#ids.idOf(name)));
    if (still.length === 0) return;
    for (const name of still) await registerWriterId(this.#db, name);
    await this.refresh();
  }

  /** Reloads once if `id` is unknown; false if the database does not know it either. */
  async ensureId(id: number): Promise<boolean> {
    if (this.#knows(() => this.#ids.nameOf(id))) return true;
    await this.refresh();
    return this.#knows(() => this.#ids.nameOf(id));
  }

  /** Reloads every id from the database (concurrent callers share one read). */
  refresh(): Promise<void> {
    this.#refreshing ??= loadWriterIds(this.#db)
      .then((ids) => void (this.#ids = ids))
      .finally(() => (this.#refreshing = undefined));
    return this.#refreshing;
  }

  #knows(lookup: () => unknown): boolean {
    try {
      lookup();
      return true;
    } catch (error) {
      if (error instanceof InvalidStreamTokenError) return false;
      throw error;
    }
  }
}
