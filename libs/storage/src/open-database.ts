// Opens the configured database and brings its schema up to date.
import type { Database, DatabaseOptions } from './database.ts';
import { applyMigrations } from './migrations.ts';
import { PgDatabase } from './pg-database.ts';
import { PgliteDatabase } from './pglite-database.ts';
import { migratedTemplate } from './pglite-template.ts';

export interface OpenDatabaseOptions {
  /** Apply pending migrations before returning. Default: true. */
  readonly migrate?: boolean;
}

export async function openDatabase(options: DatabaseOptions, openOptions: OpenDatabaseOptions = {}): Promise<Database> {
  const migrate = openOptions.migrate ?? true;
  // In-memory databases start from a migrated template; the migrations below then find nothing to do.
  const template = options.kind === 'pglite' && options.path === undefined && migrate ? await migratedTemplate() : undefined;
  const db = options.kind === 'pglite' ? await PgliteDatabase.open(options.path, { template }) : new PgDatabase(options);
  if (migrate) {
    try {
      await applyMigrations(db);
    } catch (error) {
      await db.close();
      throw error;
    }
  }
  return db;
}
