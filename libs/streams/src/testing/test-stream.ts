// Test support (exported as @homeserver/streams/testing): a small generic stream whose rows live
// in one table, for the lib's own tests, the multi-process test and the benchmark.
import type { Queryable } from '@homeserver/storage';
import { defineStream, type StreamDefinition } from '../stream-definition.ts';

export interface TestRow {
  /** The writer's own running number, so tests can check order and completeness. */
  readonly n: number;
  readonly text: string;
}

/** Creates the table the test stream reads (tests only; real streams use migrations). */
export async function createTestStreamTable(db: Queryable): Promise<void> {
  await db.query(
    `CREATE TABLE IF NOT EXISTS test_stream_rows (
       stream text NOT NULL,
       writer text NOT NULL,
       position int8 NOT NULL,
       n int8 NOT NULL,
       text text NOT NULL,
       PRIMARY KEY (stream, position)
     )`,
  );
}

/** The test stream's one view: rows with an odd `n` (writers tag them `odd`). */
export const ODD_VIEW = 'odd';

export function testStream(name: string): StreamDefinition<TestRow> {
  const fetch = (odd: boolean): StreamDefinition<TestRow>['fetchSince'] => async (db, { writer, from, to, limit }) => {
    const { rows } = await db.query<{ position: number; n: number; text: string }>(
      `SELECT position, n, text FROM test_stream_rows
        WHERE stream = $1 AND writer = $2 AND position > $3 AND position <= $4${odd ? ' AND n % 2 = 1' : ''}
        ORDER BY position LIMIT $5`,
      [name, writer, from, to, limit],
    );
    return rows.map((row) => ({ position: row.position, data: { n: row.n, text: row.text } }));
  };
  return defineStream<TestRow>({ name, fetchSince: fetch(false), views: { [ODD_VIEW]: { fetchSince: fetch(true) } } });
}

/** Inserts one test row at an allocated position (inside the writer's transaction). */
export async function insertTestRow(tx: Queryable, stream: string, writer: string, position: number, row: TestRow): Promise<void> {
  await tx.query('INSERT INTO test_stream_rows (stream, writer, position, n, text) VALUES ($1, $2, $3, $4, $5)', [stream, writer, position, row.n, row.text]);
}

/** Inserts several test rows in one statement (benchmarks: keeps PostgreSQL round trips out of the way). */
export async function insertTestRows(tx: Queryable, stream: string, writer: string, rows: ReadonlyArray<{ position: number; row: TestRow }>): Promise<void> {
  await tx.query(
    `INSERT INTO test_stream_rows (stream, writer, position, n, text)
     SELECT $1, $2, p, n, t FROM unnest($3::int8[], $4::int8[], $5::text[]) AS u(p, n, t)`,
    [stream, writer, rows.map((r) => r.position), rows.map((r) => r.row.n), rows.map((r) => r.row.text)],
  );
}
