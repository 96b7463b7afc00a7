// Run as a child process by pglite-database.ts: creates a new PGlite data folder (initdb) at
// argv[2], with --migrate applies the schema's migrations to it, and exits. PGlite runs initdb
// in a second, temporary PostgreSQL instance whose WASM memory (~140 MiB resident) the process
// it ran in never gets back; and the migrations, hundreds of DDL statements, grow the serving
// instance's WASM memory and compiled code for good (measured: a first start idled ~50 MiB
// above a restart on the same data). Run here, both go with this process.
import { PGlite } from '@electric-sql/pglite';
import { applyMigrations } from './migrations.ts';
import { PgliteDatabase } from './pglite-database.ts';

const [path, flag] = process.argv.slice(2);
if (path === undefined || (flag !== undefined && flag !== '--migrate')) throw new Error('usage: pglite-initdb.ts DATA_FOLDER [--migrate]');
const db = new PGlite({ dataDir: path });
await db.waitReady;
await db.close();
if (flag === '--migrate') {
  const migrated = await PgliteDatabase.open(path);
  try {
    await applyMigrations(migrated);
  } finally {
    await migrated.close();
  }
}
