// Database over real PostgreSQL through a `pg` Pool.
import pg from 'pg';
import type { Database, DatabasePoolStats, Listening, PostgresConnectionOptions, QueryResult, Queryable, Session } from './database.ts';
import { DatabaseError } from './database.ts';
import { preparedName } from './prepared.ts';

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

async function run<Row>(client: pg.Pool | pg.PoolClient, sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>> {
  try {
    // Text and values, not a config object: pg copies a config object property by property on
    // every query (its cloneQueryConfig), a measurable share of the send path's CPU. The int8
    // parser is every client's (`types` of the connection settings). A prepared statement
    // (prepared.ts) needs the config object for its name: planning once saves far more.
    const name = preparedName(sql);
    const values = params as unknown[] | undefined;
    const result = name === undefined ? await client.query(sql, values) : await client.query({ name, text: sql, values });
    return { rows: result.rows as Row[], rowCount: result.rowCount ?? 0 };
  } catch (error) {
    throw wrapError(error, sql);
  }
}

export class PgDatabase implements Database {
  readonly kind = 'postgres' as const;
  readonly #pool: pg.Pool;
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
    this.#pool = new pg.Pool({ ...this.#connection, max: this.#max });
    // An idle client dying (server restart) must not crash the process; the pool replaces it.
    this.#pool.on('error', () => {});
  }

  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>> {
    return run<Row>(this.#pool, sql, params);
  }

  poolStats(): DatabasePoolStats {
    return { total: this.#pool.totalCount, idle: this.#pool.idleCount, waiting: this.#pool.waitingCount, max: this.#max };
  }

  async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    let broken: unknown;
    try {
      await run(client, 'BEGIN');
      const tx: Queryable = { query: (sql, params) => run(client, sql, params) };
      const result = await work(tx);
      await run(client, 'COMMIT');
      return result;
    } catch (error) {
      try {
        await run(client, 'ROLLBACK');
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
    await this.#pool.end();
  }
}
