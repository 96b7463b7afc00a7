// Opens the configured database and brings its schema up to date.
import type { Database, DatabaseOptions } from './database.ts';
import { applyMigrations } from './migrations.ts';
import { PgDatabase } from './pg-database.ts';
import { PgliteDatabase } from './pglite-database.ts';

export interface OpenDatabaseOptions {
  /** Apply pending migrations before returning. Default: true. */
  readonly migrate?: boolean;
}

export async function openDatabase(options: DatabaseOptions, openOptions: OpenDatabaseOptions = {}): Promise<Database> {
  const db = options.kind === 'pglite' ? await PgliteDatabase.open(options.path) : new PgDatabase(options);
  if (openOptions.migrate ?? true) {
    try {
      await applyMigrations(db);
    } catch (error) {
      await db.close();
      throw error;
    }
  }
  return db;
}
