import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, loadMigrations, MigrationError, splitStatements } from './migrations.ts';
import { PgliteDatabase } from './pglite-database.ts';

describe('splitStatements', () => {
  it('splits on line-ending semicolons and keeps dollar-quoted bodies whole', () => {
    const sql = [
      '-- leading comment',
      'CREATE TABLE a (x int);',
      'CREATE FUNCTION f() RETURNS int AS $$',
      'BEGIN RETURN 1; END;',
      '$$ LANGUAGE plpgsql;',
      'INSERT INTO a VALUES (1)',
    ].join('\n');
    expect(splitStatements(sql)).toEqual([
      'CREATE TABLE a (x int);',
      'CREATE FUNCTION f() RETURNS int AS $$\nBEGIN RETURN 1; END;\n$$ LANGUAGE plpgsql;',
      'INSERT INTO a VALUES (1)',
    ]);
  });
});

// One embedded database for the file: booting PGlite costs seconds.
let db: PgliteDatabase;
beforeAll(async () => {
  db = await PgliteDatabase.open(undefined);
});
afterAll(async () => {
  await db.close();
});

describe('applyMigrations on PGlite', () => {
  it('applies each migration once and records it', async () => {
    const migrations = [
      { name: '0001_a', sql: 'CREATE TABLE a (x int8);', checksum: 'c1' },
      { name: '0002_b', sql: 'INSERT INTO a VALUES (9007199254740991);', checksum: 'c2' },
    ];
    expect(await applyMigrations(db, migrations)).toEqual(['0001_a', '0002_b']);
    expect(await applyMigrations(db, migrations)).toEqual([]);
    const { rows } = await db.query<{ x: number }>('SELECT x FROM a');
    expect(rows).toEqual([{ x: 9007199254740991 }]);
  });

  it('refuses a migration whose text changed after it was applied', async () => {
    await applyMigrations(db, [{ name: '0003_c', sql: 'CREATE TABLE c (x int);', checksum: 'one' }]);
    await expect(applyMigrations(db, [{ name: '0003_c', sql: 'CREATE TABLE c (y int);', checksum: 'two' }])).rejects.toThrow(MigrationError);
  });

  it('rolls a failing migration back entirely', async () => {
    await expect(
      applyMigrations(db, [{ name: '0001_bad', sql: 'CREATE TABLE ok (x int);\nSELECT no_such_function();', checksum: 'x' }]),
    ).rejects.toThrow(/0001_bad failed/);
    const { rows } = await db.query("SELECT to_regclass('ok') AS t");
    expect(rows).toEqual([{ t: null }]);
  });

  it('applies the shipped migrations', async () => {
    const applied = await applyMigrations(db);
    expect(applied).toContain('0001_core');
    expect(await applyMigrations(db)).toEqual([]);
  });
});

describe('transactions on PGlite', () => {
  it('commits on success and rolls back on throw', async () => {
    await db.exec('CREATE TABLE t (x int)');
    await db.transaction(async (tx) => {
      await tx.query('INSERT INTO t VALUES ($1)', [1]);
    });
    await expect(
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO t VALUES ($1)', [2]);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const { rows } = await db.query('SELECT x FROM t ORDER BY x');
    expect(rows).toEqual([{ x: 1 }]);
  });
});

describe('openDatabase for in-memory PGlite', () => {
  it('starts each database from the migrated template, independent of the others', async () => {
    const { openDatabase } = await import('./open-database.ts');
    const a = await openDatabase({ kind: 'pglite' });
    const b = await openDatabase({ kind: 'pglite' });
    const { rows } = await a.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name');
    expect(rows.map((r) => r.name)).toEqual((await loadMigrations()).map((m) => m.name));
    await a.query("INSERT INTO instances (instance_name, worker_app) VALUES ('only-in-a', 'main')");
    const inB = await b.query("SELECT 1 FROM instances WHERE instance_name = 'only-in-a'");
    expect(inB.rows).toEqual([]);
    expect(a.poolStats?.()).toEqual({ total: 1, idle: undefined, waiting: undefined, max: 1 });
    await a.close();
    await b.close();
    expect(a.poolStats?.()).toEqual({ total: 0, idle: undefined, waiting: undefined, max: 1 });
  });
});
