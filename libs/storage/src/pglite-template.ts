// A migrated, empty PGlite data folder kept as a tarball in the OS temp folder, so in-memory
// databases (every unit test opens several) load in ~2 s instead of running initdb and all
// migrations each time (~15 s on a busy 2-core machine). Keyed by the PGlite version and the
// migrations' checksums, so a changed migration builds a new template.
import { createHash, randomBytes } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyMigrations, loadMigrations } from './migrations.ts';
import { PgliteDatabase } from './pglite-database.ts';

let cached: Promise<Blob> | undefined;

async function pgliteVersion(): Promise<string> {
  // The package exports no ./package.json; read it beside its resolved entry (dist/...).
  const entry = import.meta.resolve('@electric-sql/pglite');
  const manifest = await readFile(new URL('../package.json', entry), 'utf8');
  return (JSON.parse(manifest) as { version: string }).version;
}

async function buildTemplate(): Promise<Blob> {
  const migrations = await loadMigrations();
  const key = createHash('sha256')
    .update(await pgliteVersion())
    .update(migrations.map((m) => `${m.name}:${m.checksum}`).join('\n'))
    .digest('hex')
    .slice(0, 16);
  const file = join(tmpdir(), `homeserver-pglite-template-${key}.tar`);
  try {
    return new Blob([await readFile(file)]);
  } catch {
    // Not built yet (or unreadable): build it below.
  }
  const db = await PgliteDatabase.open(undefined);
  try {
    await applyMigrations(db, migrations);
    const blob = await db.dump();
    // Write then rename, so a parallel test worker never reads half a file.
    const partial = `${file}.${randomBytes(4).toString('hex')}.partial`;
    await writeFile(partial, Buffer.from(await blob.arrayBuffer()));
    await rename(partial, file);
    return blob;
  } finally {
    await db.close();
  }
}

/** The migrated template for in-memory databases; built once per machine and schema. */
export function migratedTemplate(): Promise<Blob> {
  cached ??= buildTemplate().catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}
