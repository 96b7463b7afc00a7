// Real PostgreSQL: concurrent migration, transactions, advisory locks across connections.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, type TestPostgres } from './testing/test-database.ts';
import { applyMigrations, openDatabase, tryAdvisoryLock } from './index.ts';

let pgdb: TestPostgres;
beforeAll(async () => {
  pgdb = await createTestDatabase();
});
afterAll(async () => {
  await pgdb?.drop();
});

describe('PostgreSQL storage', () => {
  it('lets exactly one of several concurrent starters apply each migration', async () => {
    const migrations = [
      { name: '0001_counter', sql: 'CREATE TABLE counter (n int8 NOT NULL);\nINSERT INTO counter VALUES (0);', checksum: 'a' },
      { name: '0002_bump', sql: 'UPDATE counter SET n = n + 1;', checksum: 'b' },
    ];
    const starters = await Promise.all([1, 2, 3, 4].map(() => openDatabase(pgdb.options, { migrate: false })));
    const results = await Promise.all(starters.map((db) => applyMigrations(db, migrations)));
    expect(results.flat().sort()).toEqual(['0001_counter', '0002_bump']);
    const { rows } = await starters[0]!.query<{ n: number }>('SELECT n FROM counter');
    expect(rows).toEqual([{ n: 1 }]);
    await Promise.all(starters.map((db) => db.close()));
  });

  it('rolls back a failed transaction and keeps the pool usable', async () => {
    const db = await openDatabase(pgdb.options, { migrate: false });
    await db.exec('CREATE TABLE IF NOT EXISTS tx_test (x int PRIMARY KEY)');
    await db.transaction((tx) => tx.query('INSERT INTO tx_test VALUES (1)'));
    await expect(db.transaction((tx) => tx.query('INSERT INTO tx_test VALUES (1)'))).rejects.toMatchObject({ code: '23505' });
    const { rows } = await db.query('SELECT count(*)::int8 AS n FROM tx_test');
    expect(rows).toEqual([{ n: 1 }]);
    await db.close();
  });

  it('sends BEGIN with the first statement of a transaction when it has no parameters: a round trip less, inside the transaction', async () => {
    const db = await openDatabase(pgdb.options, { migrate: false });
    const sent = vi.spyOn(pg.Client.prototype, 'query');
    try {
      await db.exec('CREATE TABLE IF NOT EXISTS begin_test (x int PRIMARY KEY)');
      sent.mockClear();
      const mode = await db.transaction(async (tx) => {
        const { rows } = await tx.query<{ mode: string }>("SELECT current_setting('plan_cache_mode') AS mode");
        await tx.query('INSERT INTO begin_test VALUES ($1)', [1]);
        return rows[0]!.mode;
      }, { plannedGenerically: true });
      // BEGIN (and SET LOCAL) with the SELECT, the INSERT, COMMIT: three round trips, not four.
      expect(sent).toHaveBeenCalledTimes(3);
      expect(mode).toBe('force_generic_plan');
      // The first statement is the transaction's: rolled back with it.
      await expect(db.transaction(async (tx) => {
        await tx.query('INSERT INTO begin_test VALUES (2)');
        throw new Error('changed my mind');
      })).rejects.toThrow('changed my mind');
      // A failing first statement rolls back and leaves the connection usable.
      await expect(db.transaction((tx) => tx.query('INSERT INTO begin_test VALUES (1)'))).rejects.toMatchObject({ code: '23505' });
      // A first statement with parameters: BEGIN goes just before it, and statements issued
      // together keep their order.
      await expect(db.transaction(async (tx) => {
        await Promise.all([tx.query('INSERT INTO begin_test VALUES ($1)', [3]), tx.query('INSERT INTO begin_test VALUES ($1)', [4])]);
        throw new Error('not these either');
      })).rejects.toThrow('not these either');
      await db.transaction((tx) => Promise.all([tx.query('INSERT INTO begin_test VALUES ($1)', [5]), tx.query('SELECT x FROM begin_test WHERE x = $1', [5])]).then(([, read]) => expect(read.rows).toEqual([{ x: 5 }])));
      const { rows } = await db.query<{ x: number }>('SELECT x FROM begin_test ORDER BY x');
      expect(rows).toEqual([{ x: 1 }, { x: 5 }]);
      // A transaction that runs nothing sends nothing.
      sent.mockClear();
      expect(await db.transaction(async () => 'idle')).toBe('idle');
      expect(sent).not.toHaveBeenCalled();
    } finally {
      sent.mockRestore();
      await db.close();
    }
  });

  it('reports pool use: busy, idle and waiting connections against the pool size', async () => {
    const db = await openDatabase({ ...pgdb.options, maxConnections: 2 }, { migrate: false });
    try {
      expect(db.poolStats?.()).toEqual({ total: 0, idle: 0, waiting: 0, max: 2 });
      const sessions = [await db.acquireSession(), await db.acquireSession()];
      const queued = db.query('SELECT 1');
      expect(db.poolStats?.()).toEqual({ total: 2, idle: 0, waiting: 1, max: 2 });
      await sessions[0]!.release();
      await queued;
      await sessions[1]!.release();
      await db.query('SELECT 1');
      // Sessions are destroyed on release (their locks must not leak); the query's connection stays idle.
      expect(db.poolStats?.()).toEqual({ total: 1, idle: 1, waiting: 0, max: 2 });
    } finally {
      await db.close();
    }
  });

  it('grants an advisory lock to one holder at a time and frees it when the holder dies', async () => {
    const a = await openDatabase(pgdb.options, { migrate: false });
    const b = await openDatabase(pgdb.options, { migrate: false });
    const lockA = await tryAdvisoryLock(a, 'duty:cleanup');
    expect(lockA).toBeDefined();
    expect(await tryAdvisoryLock(b, 'duty:cleanup')).toBeUndefined();
    // Kill A's backend as a crash would; the lock must become free and A must learn it is lost.
    await b.query(
      "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND pid <> pg_backend_pid() AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
    );
    await lockA!.lost;
    // The client hears of its death before the server backend has exited and dropped the lock,
    // so the lock becomes free shortly after, not at the same instant.
    let lockB: Awaited<ReturnType<typeof tryAdvisoryLock>>;
    const deadline = Date.now() + 10_000;
    do {
      lockB = await tryAdvisoryLock(b, 'duty:cleanup');
      if (!lockB) await new Promise((resolve) => setTimeout(resolve, 50));
    } while (!lockB && Date.now() < deadline);
    expect(lockB).toBeDefined();
    await lockB!.release();
    await a.close();
    await b.close();
  });
});
