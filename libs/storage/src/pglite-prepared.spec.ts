// On PGlite, marked statements run as named prepared statements of its one session
// (pglite-prepared.ts), with the answers, row types, counts and errors PGlite's own query() gives;
// those marked preparedGeneric are planned generically outside transactions, for that run alone,
// and a transaction asked to plan generically does so for itself alone. A statement without
// parameters runs as one simple query.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from './database.ts';
import { openDatabase } from './open-database.ts';
import { expectTransactionPlannedGenericallyAlone } from './planned-generically.suite.ts';
import { prepared, preparedGeneric, preparedName } from './prepared.ts';

let db: Database;

beforeAll(async () => {
  db = await openDatabase({ kind: 'pglite' }, { migrate: false });
  await db.query('CREATE TABLE notes (id int8 PRIMARY KEY, tags text[] NOT NULL, body jsonb); CREATE SEQUENCE notes_seq');
}, 120_000);
afterAll(async () => {
  await db.close();
});

const preparedNames = async () => (await db.query<{ name: string }>('SELECT name FROM pg_prepared_statements')).rows.map((row) => row.name);

describe('prepared statements on PGlite', () => {
  it('runs a marked text as a named prepared statement, with the rows, types and counts of an unmarked one', async () => {
    const insert = prepared('INSERT INTO notes (id, tags, body) SELECT id, $2::text[], body FROM unnest($1::int8[], $3::jsonb[]) AS u(id, body) ON CONFLICT DO NOTHING');
    expect((await db.query(insert, [[1], ['a'], ['{"n":1}']])).rowCount).toBe(1);
    expect((await db.query(insert, [[1, 2], ['b', 'c'], [null, null]])).rowCount).toBe(1);
    expect((await db.query(insert, [[2, 3], [], [null, '[true]']])).rowCount).toBe(1);
    const select = 'SELECT id, tags, body FROM notes WHERE id = ANY($1::int8[]) ORDER BY id';
    const plain = await db.query(select, [[1, 2, 3, 4]]);
    const marked = await db.query(prepared(select), [[1, 2, 3, 4]]);
    expect(marked).toEqual(plain);
    expect(marked.rows).toEqual([
      { id: 1, tags: ['a'], body: { n: 1 } },
      { id: 2, tags: ['b', 'c'], body: null },
      { id: 3, tags: [], body: [true] },
    ]);
    // No rows: the same empty answer.
    expect(await db.query(prepared(select), [[9]])).toEqual({ rows: [], rowCount: 0 });
    expect(await preparedNames()).toEqual(expect.arrayContaining([preparedName(insert), preparedName(select)]));
  });

  it('fails as PGlite does, and the session runs on: inside a transaction, the transaction rolls back', async () => {
    const insert = prepared('INSERT INTO notes (id, tags) VALUES ($1, $2)');
    await db.query(insert, [10, ['first']]);
    await expect(db.query(insert, [10, ['again']])).rejects.toMatchObject({ code: '23505' });
    await expect(
      db.transaction(async (tx) => {
        await tx.query(insert, [11, ['rolled back']]);
        await tx.query(insert, [10, ['again']]);
      }),
    ).rejects.toMatchObject({ code: '23505' });
    const ids = prepared('SELECT id FROM notes WHERE id >= $1 ORDER BY id');
    expect((await db.query<{ id: number }>(ids, [10])).rows).toEqual([{ id: 10 }]);
    expect(await db.transaction(async (tx) => (await tx.query<{ id: number }>(ids, [10])).rows)).toEqual([{ id: 10 }]);
  });

  it('runs a marked statement outside a transaction only once the running transaction ended', async () => {
    const count = prepared('SELECT count(*)::int8 AS n FROM notes WHERE id = $1');
    let outside: Promise<number> | undefined;
    await expect(
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO notes (id, tags) VALUES (20, $1)', [['uncommitted']]);
        outside = db.query<{ n: number }>(count, [20]).then((result) => result.rows[0]!.n);
        // Gives the outside statement every chance to slip in before the rollback.
        await new Promise((resolve) => setTimeout(resolve, 20));
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await outside).toBe(0);
  });

  it('runs a text without parameters as one simple query: of several statements, the last one answers, as on PostgreSQL', async () => {
    expect(await db.query("SELECT nextval('notes_seq') AS position", [])).toEqual({ rows: [{ position: 1 }], rowCount: 0 });
    expect((await db.query<{ n: number }>('SELECT 1 AS m; SELECT count(*)::int8 AS n FROM notes WHERE id < 0')).rows).toEqual([{ n: 0 }]);
    expect(await db.transaction(async (tx) => (await tx.query<{ position: number }>("SET LOCAL work_mem = '8MB'; SELECT nextval('notes_seq') AS position")).rows)).toEqual([{ position: 2 }]);
    await expect(db.query('SELECT 1 / 0')).rejects.toMatchObject({ code: '22012' });
  });

  it('plans preparedGeneric statements generically outside transactions, for that run alone, even when it fails', async () => {
    const mode = 'SELECT current_setting($1) AS mode';
    const generic = preparedGeneric(`${mode} -- generic on PGlite`);
    const modeOf = async (run: () => Promise<{ rows: Array<{ mode: string }> }>) => (await run()).rows[0]!.mode;
    expect(await modeOf(() => db.query(generic, ['plan_cache_mode']))).toBe('force_generic_plan');
    expect(await modeOf(() => db.query(mode, ['plan_cache_mode']))).toBe('auto');
    expect(await modeOf(() => db.query(prepared(`${mode} -- prepared on PGlite`), ['plan_cache_mode']))).toBe('auto');
    // In a transaction, as PostgreSQL chooses (as on PostgreSQL, where a transaction keeps its connection).
    expect(await modeOf(() => db.transaction((tx) => tx.query(generic, ['plan_cache_mode'])))).toBe('auto');
    await expect(db.query(preparedGeneric('SELECT 1 / $1::int AS n'), [0])).rejects.toMatchObject({ code: '22012' });
    expect(await modeOf(() => db.query(mode, ['plan_cache_mode']))).toBe('auto');
  });

  it('plans the statements of a transaction asked to generically, and of that transaction only', async () => {
    // On `db`'s one connection: the setting ended with each transaction.
    await expectTransactionPlannedGenericallyAlone(db);
  });
});
