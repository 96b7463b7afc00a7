// runCombinedWrites: several parameterised writes in one statement do what they do one by one,
// and a returning part's rows come back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, Queryable } from './database.ts';
import { openDatabase } from './open-database.ts';
import { runCombinedWrites } from './combined-writes.ts';
import { prepared, preparedName } from './prepared.ts';

let db: Database;
beforeAll(async () => {
  db = await openDatabase({ kind: 'pglite' }, { migrate: false });
  await db.exec('CREATE TABLE a (k text PRIMARY KEY, v int8); CREATE TABLE b (k text PRIMARY KEY, n text)');
}, 120_000);
afterAll(async () => db.close());

/** `tx` counting the statements sent through it. */
function counting(tx: Queryable, sent: string[]): Queryable {
  return { query: (sql, params) => (sent.push(sql), tx.query(sql, params)) };
}

describe('runCombinedWrites', () => {
  it('writes every part in one statement, each with its own parameters ($10 and up included)', async () => {
    const sent: string[] = [];
    const ten = Array.from({ length: 10 }, (_v, i) => `x${i}`);
    await db.transaction(async (tx) => {
      await runCombinedWrites(counting(tx, sent), [
        { sql: 'INSERT INTO a (k, v) SELECT * FROM unnest($1::text[], $2::int8[])', params: [['one', 'two'], [1, 2]] },
        { sql: `INSERT INTO b (k, n) VALUES ($1, concat(${ten.map((_v, i) => `$${i + 2}::text`).join(', ')}))`, params: ['b1', ...ten] },
        { sql: 'UPDATE a SET v = v + $2 WHERE k = $1', params: ['zzz', 5] },
      ]);
    });
    expect(sent).toHaveLength(1);
    expect((await db.query('SELECT k, v FROM a ORDER BY k')).rows).toEqual([{ k: 'one', v: 1 }, { k: 'two', v: 2 }]);
    expect((await db.query('SELECT k, n FROM b')).rows).toEqual([{ k: 'b1', n: ten.join('') }]);
  });

  it('answers the rows of the returning part, with the other parts written in the same statement', async () => {
    const sent: string[] = [];
    const rows = await db.transaction((tx) =>
      runCombinedWrites<{ k: string }>(counting(tx, sent), [{ sql: 'INSERT INTO b (k, n) VALUES ($1, $2)', params: ['b2', 'two'] }], {
        sql: 'UPDATE a SET v = v * $1 WHERE k = ANY($2::text[]) RETURNING k',
        params: [10, ['two', 'missing']],
      }),
    );
    expect(sent).toHaveLength(1);
    expect(rows).toEqual([{ k: 'two' }]);
    expect((await db.query('SELECT v FROM a WHERE k = $1', ['two'])).rows).toEqual([{ v: 20 }]);
    expect((await db.query('SELECT n FROM b WHERE k = $1', ['b2'])).rows).toEqual([{ n: 'two' }]);
  });

  it('sends nothing for no parts, and a single part as it is', async () => {
    const sent: string[] = [];
    await runCombinedWrites(counting(db, sent), []);
    expect(sent).toEqual([]);
    await runCombinedWrites(counting(db, sent), [{ sql: 'DELETE FROM b WHERE k = $1', params: ['b2'] }]);
    expect(sent).toEqual(['DELETE FROM b WHERE k = $1']);
  });

  it('marks a combination prepared when every part is, and only then', async () => {
    const sent: string[] = [];
    const insert = prepared('INSERT INTO b (k, n) VALUES ($1, $2) ON CONFLICT DO NOTHING');
    const update = prepared('UPDATE a SET v = v + $1 WHERE k = $2');
    await runCombinedWrites(counting(db, sent), [
      { sql: insert, params: ['p1', 'one'] },
      { sql: update, params: [1, 'one'] },
    ]);
    await runCombinedWrites(counting(db, sent), [
      { sql: insert, params: ['p2', 'two'] },
      // A text not marked (marks are by text: it differs from `update`).
      { sql: 'UPDATE a SET v = v + $1 WHERE k = $2 AND true', params: [1, 'two'] },
    ]);
    expect(sent).toHaveLength(2);
    expect(preparedName(sent[0]!)).toBeDefined();
    expect(preparedName(sent[1]!)).toBeUndefined();
    expect((await db.query('SELECT k, v FROM a ORDER BY k')).rows).toEqual([{ k: 'one', v: 2 }, { k: 'two', v: 21 }]);
  });
});
