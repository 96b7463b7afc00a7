// An on-disk PGlite database: a new data folder is created (initdb, in a child process) and
// holds what was written across a reopen; a folder that cannot be created is refused by name.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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

  it('names the folder it cannot create', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'hs-pglite-')), 'a-file');
    await writeFile(file, 'not a folder');
    await expect(PgliteDatabase.open(join(file, 'data'))).rejects.toThrow(`cannot create the PGlite database in ${join(file, 'data')}`);
  }, 120_000);
});
