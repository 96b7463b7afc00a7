// Database over real PostgreSQL through a `pg` Pool.
import pg from 'pg';
import type { Database, DatabasePoolStats, Listening, PostgresConnectionOptions, QueryResult, Queryable, Session, TransactionOptions } from './database.ts';
import { DatabaseError } from './database.ts';
import { plannedGenerically, preparedName } from './prepared.ts';

const INT8_OID = 20;
// Stream positions and timestamps are int8; they stay below 2^53, so numbers are exact.
const types = {
  getTypeParser(oid: number, format?: string) {
    if (oid === INT8_OID) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

function wrapError(error: unknown, sql: string): DatabaseError {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  return new DatabaseError(`${message} (while running: ${sql.slice(0, 120)})`, code, { cause: error });
}

/**
 * How many of a pool's connections run the statements marked preparedGeneric (prepared.ts)
 * outside transactions, planned once with a generic plan: none below 4 connections.
 */
export function genericPlanConnections(max: number): number {
  return Math.floor(max / 4);
}

/**
 * BEGIN and the transaction's plan cache mode in one round trip: a text without parameters goes
 * as a simple query, which may hold several statements. SET LOCAL ends with the transaction.
 */
const BEGIN_PLANNED_GENERICALLY = 'BEGIN; SET LOCAL plan_cache_mode = force_generic_plan';

async function run<Row>(client: pg.Pool | pg.PoolClient, sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>> {
  try {
    // Text and values, not a config object: pg copies a config object property by property on
    // every query (its cloneQueryConfig), a measurable share of the send path's CPU. The int8
    // parser is every client's (`types` of the connection settings). A prepared statement
    // (prepared.ts) needs the config object for its name: planning once saves far more.
    const name = preparedName(sql);
    const values = params as unknown[] | undefined;
    // A text without parameters may hold several statements (one simple query): pg answers each one's result.
    const results: pg.QueryResult | pg.QueryResult[] = name === undefined ? await client.query(sql, values) : await client.query({ name, text: sql, values });
    const result = Array.isArray(results) ? results[results.length - 1]! : results;
    return { rows: result.rows as Row[], rowCount: result.rowCount ?? 0 };
  } catch (error) {
    throw wrapError(error, sql);
  }
}

export class PgDatabase implements Database {
  readonly kind = 'postgres' as const;
  readonly #pool: pg.Pool;
  /**
   * The connections that run the statements marked preparedGeneric outside transactions, with
   * plan_cache_mode = force_generic_plan (undefined when the pool is too small to spare them).
   * PostgreSQL's own choice (auto) plans those anew on every run: their parameters are arrays
   * unnested into rows, whose length a custom plan knows and a generic one guesses, so the
   * generic plan never looks cheaper, though it is the same plan (each row's part runs per row
   * on the indexes its keys name). Measured (client-api-bench, paced 40 msg/s, 50 long-pollers):
   * the sync window overview planned in 1.13 of its 1.30 ms per run. Every other statement runs
   * on the main pool, planned for its parameters' values as before.
   */
  readonly #generic: pg.Pool | undefined;
  readonly #max: number;
  readonly #connection: pg.ClientConfig;

  constructor(options: PostgresConnectionOptions) {
    this.#max = options.maxConnections ?? 10;
    this.#connection = {
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 5432,
      user: options.user,
      password: options.password,
      database: options.database,
      application_name: options.applicationName ?? 'homeserver',
      types,
    };
    const generic = options.genericPlans === true ? genericPlanConnections(this.#max) : 0;
    this.#pool = new pg.Pool({ ...this.#connection, max: this.#max - generic });
    this.#generic = generic === 0 ? undefined : new pg.Pool({ ...this.#connection, max: generic, options: '-c plan_cache_mode=force_generic_plan' });
    // An idle client dying (server restart) must not crash the process; the pool replaces it.
    this.#pool.on('error', () => {});
    this.#generic?.on('error', () => {});
  }

  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>> {
    return run<Row>(this.#generic !== undefined && plannedGenerically(sql) ? this.#generic : this.#pool, sql, params);
  }

  poolStats(): DatabasePoolStats {
    const pools = this.#generic === undefined ? [this.#pool] : [this.#pool, this.#generic];
    const sum = (count: (pool: pg.Pool) => number) => pools.reduce((total, pool) => total + count(pool), 0);
    return { total: sum((p) => p.totalCount), idle: sum((p) => p.idleCount), waiting: sum((p) => p.waitingCount), max: this.#max };
  }

  async transaction<T>(work: (tx: Queryable) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    const client = await this.#pool.connect();
    const begin = options.plannedGenerically === true ? BEGIN_PLANNED_GENERICALLY : 'BEGIN';
    let begun = false;
    let broken: unknown;
    // BEGIN waits for the transaction's first statement: one without parameters (and not
    // prepared) goes with it in one simple query, a round trip less (the stream writer's
    // allocation opens every group commit so). Otherwise BEGIN is queued just before it: pg runs
    // a client's queries in the order they are queued, so concurrent statements keep their order.
    const query = <Row>(sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>> => {
      if (begun) return run<Row>(client, sql, params);
      begun = true;
      if ((params === undefined || params.length === 0) && preparedName(sql) === undefined) return run<Row>(client, `${begin};\n${sql}`);
      const began = run(client, begin);
      const result = run<Row>(client, sql, params);
      return began.then(
        () => result,
        (error: unknown) => {
          result.catch(() => {});
          throw error;
        },
      );
    };
    try {
      const result = await work({ query });
      if (begun) await run(client, 'COMMIT');
      return result;
    } catch (error) {
      try {
        if (begun) await run(client, 'ROLLBACK');
      } catch (rollbackError) {
        broken = rollbackError;
      }
      throw error;
    } finally {
      client.release(broken instanceof Error ? broken : undefined);
    }
  }

  async exec(sql: string): Promise<void> {
    try {
      await this.#pool.query(sql);
    } catch (error) {
      throw wrapError(error, sql);
    }
  }

  async acquireSession(): Promise<Session> {
    const client = await this.#pool.connect();
    const listeners: Array<(error: Error) => void> = [];
    let released = false;
    const onError = (error: Error) => {
      if (released) return;
      released = true;
      // A dead connection goes back to the pool as broken so the pool can shut down cleanly.
      client.release(error);
      for (const listener of listeners.splice(0)) listener(error);
    };
    client.on('error', onError);
    client.on('end', () => {
      if (!released) onError(new Error('database session connection ended'));
    });
    return {
      query: (sql, params) => run(client, sql, params),
      onLost: (listener) => void listeners.push(listener),
      release: async () => {
        if (released) return;
        released = true;
        client.off('error', onError);
        // Destroy rather than return to the pool: session state (locks) must not leak.
        client.release(true);
      },
    };
  }

  /** A connection of its own, outside the pool (it stays open for as long as it listens). */
  async listen(channel: string, onNotify: (payload: string) => void): Promise<Listening> {
    const client = new pg.Client(this.#connection);
    const listeners: Array<(error: Error) => void> = [];
    let closed = false;
    const lost = (error: Error) => {
      if (closed) return;
      closed = true;
      void client.end().catch(() => {});
      for (const listener of listeners.splice(0)) listener(error);
    };
    client.on('notification', (message) => {
      if (message.channel === channel) onNotify(message.payload ?? '');
    });
    client.on('error', lost);
    client.on('end', () => lost(new Error(`the connection listening on ${channel} ended`)));
    try {
      await client.connect();
      await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    } catch (error) {
      lost(error as Error);
      throw wrapError(error, `LISTEN ${channel}`);
    }
    return {
      onLost: (listener) => void listeners.push(listener),
      close: async () => {
        if (closed) return;
        closed = true;
        await client.end();
      },
    };
  }

  async close(): Promise<void> {
    await Promise.all([this.#pool.end(), this.#generic?.end()]);
  }
}
