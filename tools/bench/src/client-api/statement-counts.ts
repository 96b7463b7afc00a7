// Statements the server ran per message, from pg_stat_statements of the bench's database: what a
// send costs the database independently of the machine's load. Needs a PostgreSQL started with
// `shared_preload_libraries = 'pg_stat_statements'` (point HS_TEST_PG_PORT at one); elsewhere
// the bench says the count is unavailable and goes on.
import { openDatabase, type Database } from '@homeserver/storage';
import type { TestPostgres } from '@homeserver/storage/testing';

export interface StatementCounts {
  /** Statements executed (COMMIT, BEGIN and the rest included). */
  readonly calls: number;
  /** Time PostgreSQL spent planning and executing them, in ms. */
  readonly ms: number;
  /** The part of `ms` spent planning (0 unless pg_stat_statements.track_planning is on). */
  readonly planMs: number;
  /** The most frequent statements, their text cut short, with their call counts and time (ms). */
  readonly top: ReadonlyArray<{ readonly calls: number; readonly ms: number; readonly planMs: number; readonly query: string }>;
}

export class StatementCounter {
  readonly #db: Database;
  readonly #database: string;

  private constructor(db: Database, database: string) {
    this.#db = db;
    this.#database = database;
  }

  /** A counter for the database, or the reason there is none (pg_stat_statements not loaded). */
  static async open(options: TestPostgres['options']): Promise<StatementCounter | string> {
    const db = await openDatabase({ ...options, maxConnections: 1 }, { migrate: false });
    try {
      await db.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
      await db.query('SELECT count(*) FROM pg_stat_statements');
      return new StatementCounter(db, options.database ?? 'postgres');
    } catch (error) {
      await db.close();
      return `pg_stat_statements is not available (${(error as Error).message})`;
    }
  }

  async reset(): Promise<void> {
    await this.#db.query('SELECT pg_stat_statements_reset()');
  }

  /** Statements of the bench's database since the last reset, this counter's own left out. */
  async read(): Promise<StatementCounts> {
    const { rows } = await this.#db.query<{ calls: number; ms: number; plan_ms: number; query: string }>(
      `SELECT s.calls::int8 AS calls, (s.total_plan_time + s.total_exec_time)::float8 AS ms, s.total_plan_time::float8 AS plan_ms, s.query FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
        WHERE d.datname = $1 AND s.query NOT LIKE '%pg_stat_statements%' ORDER BY s.calls DESC`,
      [this.#database],
    );
    return {
      calls: rows.reduce((sum, row) => sum + Number(row.calls), 0),
      ms: rows.reduce((sum, row) => sum + Number(row.ms), 0),
      planMs: rows.reduce((sum, row) => sum + Number(row.plan_ms), 0),
      top: rows.slice(0, 12).map((row) => ({ calls: Number(row.calls), ms: Number(row.ms), planMs: Number(row.plan_ms), query: row.query.replace(/\s+/g, ' ').slice(0, 140) })),
    };
  }

  close(): Promise<void> {
    return this.#db.close();
  }
}
