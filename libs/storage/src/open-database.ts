// Opens the configured database and brings its schema up to date. Each driver is imported only
// when it is the configured one: a process on PostgreSQL never loads PGlite (its WASM build of
// PostgreSQL), and the embedded monolith never loads `pg`.
import type { Database, DatabaseOptions } from './database.ts';
import { applyMigrations } from './migrations.ts';

export interface OpenDatabaseOptions {
  /** Apply pending migrations before returning. Default: true. */
  readonly migrate?: boolean;
}

async function openDriver(options: DatabaseOptions, migrate: boolean): Promise<Database> {
  if (options.kind !== 'pglite') {
    const { PgDatabase } = await import('./pg-database.ts');
    return new PgDatabase(options);
  }
  const [{ PgliteDatabase }, { migratedTemplate }] = await Promise.all([import('./pglite-database.ts'), import('./pglite-template.ts')]);
  // In-memory databases start from a migrated template; the migrations then find nothing to do.
  const template = options.path === undefined && migrate ? await migratedTemplate() : undefined;
  // A new data folder is migrated by the child process that creates it (see pglite-initdb.ts).
  return PgliteDatabase.open(options.path, { template, migrateNewFolder: migrate });
}

export async function openDatabase(options: DatabaseOptions, openOptions: OpenDatabaseOptions = {}): Promise<Database> {
  const migrate = openOptions.migrate ?? true;
  const db = await openDriver(options, migrate);
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
