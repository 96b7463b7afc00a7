// Database over PGlite: real PostgreSQL compiled to WASM, one connection, data in a folder.
// PGlite serialises queries and transactions itself, so a transaction never sees foreign
// statements interleaved.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import type { Database, DatabasePoolStats, Listening, QueryResult, Queryable, Session, TransactionOptions } from './database.ts';
import { DatabaseError } from './database.ts';
import { PglitePreparedStatements } from './pglite-prepared.ts';
import { plannedGenerically, preparedName } from './prepared.ts';

const INT8_OID = 20;

/**
 * PostgreSQL's default (128MB) makes the WASM heap grow past its 128 MiB start and never
 * shrink: ~170 MiB more resident memory for a page cache the OS already provides under the
 * data folder. 32MB keeps the heap at its start size (measured: a process idles at ~210 MiB
 * of PGlite instead of ~400) and holds a small server's hot pages.
 */
const DEFAULT_SHARED_BUFFERS = '32MB';

export interface PgliteOpenOptions {
  /** A data folder tarball to start from (in-memory databases). Default: initdb. */
  readonly template?: Blob;
  /** PostgreSQL's shared_buffers. Default: '32MB'. */
  readonly sharedBuffers?: string;
  /** A new data folder is also migrated, by the child process that creates it. Default: false. */
  readonly migrateNewFolder?: boolean;
}

const INITDB_SCRIPT = fileURLToPath(new URL('./pglite-initdb.ts', import.meta.url));

/**
 * Creates the data folder `path` (and migrates it when asked) in a child process
 * (pglite-initdb.ts), unless it holds a database already: in this process, the temporary
 * instance PGlite runs initdb in would keep ~140 MiB resident for the server's whole life, and
 * the migrations would grow this instance's WASM memory for good.
 */
async function initDataFolder(path: string, migrate: boolean): Promise<void> {
  if (existsSync(join(path, 'PG_VERSION'))) return;
  try {
    await promisify(execFile)(process.execPath, [INITDB_SCRIPT, path, ...(migrate ? ['--migrate'] : [])]);
  } catch (error) {
    const { stderr } = error as { stderr?: string };
    throw new Error(`cannot create the PGlite database in ${path}: ${stderr?.trim() || (error as Error).message}`, { cause: error });
  }
}

function wrapError(error: unknown, sql: string): DatabaseError {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  return new DatabaseError(`${message} (while running: ${sql.slice(0, 120)})`, code, { cause: error });
}

async function run<Row>(target: Pick<PGlite, 'query' | 'exec'>, sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>> {
  try {
    // Without parameters, one simple query (the stream writers' allocation, BEGIN's SET LOCAL):
    // two exchanges with the WASM backend where query() makes six. Of several statements, the
    // last one's rows, as on PostgreSQL (pg-database.ts).
    const result = params === undefined || params.length === 0 ? (await target.exec(sql)).at(-1) : await target.query<Row>(sql, params as unknown[]);
    const rows = (result?.rows ?? []) as Row[];
    return { rows, rowCount: result?.affectedRows ?? rows.length };
  } catch (error) {
    throw wrapError(error, sql);
  }
}

export class PgliteDatabase implements Database {
  readonly kind = 'pglite' as const;
  readonly #db: PGlite;
  readonly #prepared: PglitePreparedStatements;

  private constructor(db: PGlite) {
    this.#db = db;
    this.#prepared = new PglitePreparedStatements(db);
  }

  /** Opens (creating if needed) the database in `path`, or an in-memory one. */
  static async open(path: string | undefined, options: PgliteOpenOptions = {}): Promise<PgliteDatabase> {
    if (path !== undefined && options.template === undefined) await initDataFolder(path, options.migrateNewFolder ?? false);
    const db = new PGlite({
      dataDir: path,
      loadDataDir: options.template,
      parsers: { [INT8_OID]: (value: string) => Number(value) },
      startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${options.sharedBuffers ?? DEFAULT_SHARED_BUFFERS}`],
    });
    await db.waitReady;
    return new PgliteDatabase(db);
  }

  /** The whole data folder as an uncompressed tarball, to start other databases from. */
  async dump(): Promise<Blob> {
    return this.#db.dumpDataDir('none');
  }

  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>> {
    return this.#run<Row>(this.#db, sql, params, { inTransaction: false });
  }

  /** A statement marked prepared runs as one (pglite-prepared.ts); any other through PGlite's query(). */
  async #run<Row>(target: Pick<PGlite, 'query' | 'exec'>, sql: string, params: readonly unknown[] | undefined, context: { inTransaction: boolean }): Promise<QueryResult<Row>> {
    const name = preparedName(sql);
    if (name === undefined) return run<Row>(target, sql, params);
    try {
      // Outside transactions as on PostgreSQL, where such statements go to the connections kept for generic plans.
      return await this.#prepared.run<Row>(name, sql, params ?? [], { inTransaction: context.inTransaction, generic: !context.inTransaction && plannedGenerically(sql) });
    } catch (error) {
      throw wrapError(error, sql);
    }
  }

  /** One connection, open until closed; PGlite queues callers internally, unseen from here. */
  poolStats(): DatabasePoolStats {
    const open = this.#db.closed ? 0 : 1;
    return { total: open, idle: undefined, waiting: undefined, max: 1 };
  }

  transaction<T>(work: (tx: Queryable) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    return this.#db.transaction(async (pgTx) => {
      if (options.plannedGenerically === true) await run(pgTx, 'SET LOCAL plan_cache_mode = force_generic_plan');
      return work({ query: (sql, params) => this.#run(pgTx, sql, params, { inTransaction: true }) });
    });
  }

  async exec(sql: string): Promise<void> {
    try {
      await this.#db.exec(sql);
    } catch (error) {
      throw wrapError(error, sql);
    }
  }

  /** The only connection there is; session-scoped state is shared with every other caller. */
  async acquireSession(): Promise<Session> {
    return {
      query: (sql, params) => run(this.#db, sql, params),
      onLost: () => {},
      release: async () => {},
    };
  }

  /** Its one connection listens (PGlite hands NOTIFYs of its own connection to listeners). */
  async listen(channel: string, onNotify: (payload: string) => void): Promise<Listening> {
    const unlisten = await this.#db.listen(channel, onNotify);
    let closed = false;
    return {
      // The connection dies only with the process: nothing is ever lost.
      onLost: () => {},
      close: async () => {
        if (closed || this.#db.closed) return;
        closed = true;
        await unlisten();
      },
    };
  }

  async close(): Promise<void> {
    if (!this.#db.closed) await this.#db.close();
  }
}
