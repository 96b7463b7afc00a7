// An on-disk PGlite database: a new data folder is created (initdb, in a child process) and
// holds what was written across a reopen; a folder that cannot be created is refused by name.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyMigrations, loadMigrations } from './migrations.ts';
import { PgliteDatabase } from './pglite-database.ts';

describe('PgliteDatabase on disk', () => {
  it('creates a new data folder and finds its rows again after a reopen', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'hs-pglite-')), 'data');
    const db = await PgliteDatabase.open(path);
    await db.query('CREATE TABLE kept (v text)');
    await db.query('INSERT INTO kept VALUES ($1)', ['across restarts']);
    await db.close();
    const again = await PgliteDatabase.open(path);
    expect((await again.query<{ v: string }>('SELECT v FROM kept')).rows).toEqual([{ v: 'across restarts' }]);
    await again.close();
  }, 120_000);

  it('a new folder opened with migrateNewFolder comes migrated by the child that created it, and migrating again finds nothing to do', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'hs-pglite-')), 'data');
    const db = await PgliteDatabase.open(path, { migrateNewFolder: true });
    try {
      const { rows } = await db.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name');
      expect(rows.map((row) => row.name)).toEqual((await loadMigrations()).map((m) => m.name));
      expect(await applyMigrations(db)).toEqual([]);
    } finally {
      await db.close();
    }
  }, 180_000);

  it('names the folder it cannot create', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'hs-pglite-')), 'a-file');
    await writeFile(file, 'not a folder');
    await expect(PgliteDatabase.open(join(file, 'data'))).rejects.toThrow(`cannot create the PGlite database in ${join(file, 'data')}`);
  }, 120_000);
});
