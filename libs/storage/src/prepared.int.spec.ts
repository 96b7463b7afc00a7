// Marked statements run as named prepared statements on real PostgreSQL (planned once per
// connection), and give the same answers as unmarked ones; those marked preparedGeneric run,
// outside transactions on a pool of 4 or more connections, on connections that plan them
// generically (pg-database.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from './database.ts';
import { openDatabase } from './open-database.ts';
import { expectTransactionPlannedGenericallyAlone } from './planned-generically.suite.ts';
import { genericPlanConnections } from './pg-database.ts';
import { prepared, preparedGeneric, preparedName } from './prepared.ts';
import { createTestDatabase, type TestPostgres } from './testing/test-database.ts';

let pg: TestPostgres;
let db: Database;

beforeAll(async () => {
  pg = await createTestDatabase('hs_prepared');
  // One connection: the statements below all see the one that prepared.
  db = await openDatabase({ ...pg.options, maxConnections: 1 });
});
afterAll(async () => {
  await db.close();
  await pg.drop();
});

describe('prepared statements', () => {
  it('runs a marked text as a named prepared statement, with the same answers', async () => {
    const sql = prepared('SELECT $1::int + 1 AS n');
    expect(preparedName(sql)).toMatch(/^hs_[0-9a-f]{24}$/);
    expect(preparedName('SELECT 2')).toBeUndefined();
    expect((await db.query<{ n: number }>(sql, [1])).rows).toEqual([{ n: 2 }]);
    expect((await db.query<{ n: number }>(sql, [41])).rows).toEqual([{ n: 42 }]);
    const { rows } = await db.query<{ name: string }>('SELECT name FROM pg_prepared_statements');
    expect(rows.map((row) => row.name)).toContain(preparedName(sql));
    // Inside a transaction too (the same connection keeps it).
    expect(await db.transaction(async (tx) => (await tx.query<{ n: number }>(sql, [2])).rows[0]!.n)).toBe(3);
  });

  it('runs statements marked preparedGeneric outside transactions with generic plans, every other statement with PostgreSQL\'s own choice', async () => {
    expect([1, 3, 4, 10, 20].map(genericPlanConnections)).toEqual([0, 0, 1, 2, 5]);
    const pool = await openDatabase({ ...pg.options, maxConnections: 4, genericPlans: true });
    try {
      const mode = 'SELECT current_setting($1) AS mode';
      const marked = preparedGeneric(`${mode} -- generic`);
      const modeOf = async (run: () => Promise<{ rows: Array<{ mode: string }> }>) => (await run()).rows[0]!.mode;
      expect(await modeOf(() => pool.query(marked, ['plan_cache_mode']))).toBe('force_generic_plan');
      expect(await modeOf(() => pool.query(mode, ['plan_cache_mode']))).toBe('auto');
      expect(await modeOf(() => pool.query(prepared(`${mode} -- prepared`), ['plan_cache_mode']))).toBe('auto');
      // A transaction's statements run on its own connection, as PostgreSQL chooses.
      expect(await modeOf(() => pool.transaction((tx) => tx.query(marked, ['plan_cache_mode'])))).toBe('auto');
      // Too small a pool spares no connection for them, nor does one that was not asked to.
      expect(await modeOf(() => db.query(marked, ['plan_cache_mode']))).toBe('auto');
      const plain = await openDatabase({ ...pg.options, maxConnections: 4 });
      try {
        expect(await modeOf(() => plain.query(marked, ['plan_cache_mode']))).toBe('auto');
      } finally {
        await plain.close();
      }
    } finally {
      await pool.close();
    }
  });

  it('plans the statements of a transaction asked to generically, and of that transaction only', async () => {
    // On `db`'s one connection: the setting ended with each transaction.
    await expectTransactionPlannedGenericallyAlone(db);
  });
});
