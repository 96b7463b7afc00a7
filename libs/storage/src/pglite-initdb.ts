// Run as a child process by pglite-database.ts: creates a new PGlite data folder (initdb) at
// argv[2] and exits. PGlite runs initdb in a second, temporary PostgreSQL instance whose WASM
// memory (~140 MiB resident) the process it ran in never gets back; run here, it goes with this
// process.
import { PGlite } from '@electric-sql/pglite';

const path = process.argv[2];
if (path === undefined) throw new Error('usage: pglite-initdb.ts DATA_FOLDER');
const db = new PGlite({ dataDir: path });
await db.waitReady;
await db.close();
