// Statements marked prepared (prepared.ts) as named prepared statements of PGlite's one session,
// as pg-database.ts runs them on PostgreSQL: each text is parsed (and described) once, then every
// run is one bind-describe-execute-sync exchange with the WASM backend, where PGlite's own query()
// parses and analyses the text anew and crosses into WASM six times. Marked for generic plans
// (preparedGeneric, or a transaction planned generically), a statement is planned once too.
// Measured on a paged room read: 0.46 ms a run through query(), 0.32 ms prepared, 0.21 ms
// prepared and planned generically. PGlite's exported protocol serializer and result parser are
// the ones its query() uses, so rows come back typed alike.
import { parse, protocol, type PGlite } from '@electric-sql/pglite';
import type { QueryResult } from './database.ts';

const { serialize } = protocol;
type BackendMessage = Parameters<typeof parse.parseResults>[0][number];
const FORCE_GENERIC = serialize.query('SET plan_cache_mode = force_generic_plan');
const RESET_PLAN_MODE = serialize.query('RESET plan_cache_mode');

function concat(parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export interface PreparedRun {
  /** Inside a transaction (its lock held by the caller): PGlite syncs the data folder at its end. */
  readonly inTransaction: boolean;
  /** Planned generically for this run alone (the session's plan_cache_mode is set back after it). */
  readonly generic: boolean;
}

interface Described {
  /** Parameter type OIDs. */
  readonly types: readonly number[];
  /** The row description (undefined for a statement returning none): each run's rows are read with it. */
  readonly rows: BackendMessage | undefined;
}

export class PglitePreparedStatements {
  readonly #db: PGlite;
  /** Each statement parsed in this session, by name. */
  readonly #described = new Map<string, Described>();

  constructor(db: PGlite) {
    this.#db = db;
  }

  /** Runs the statement `name` (parsed from `sql` on its first run); the caller holds no PGlite lock. */
  run<Row>(name: string, sql: string, params: readonly unknown[], options: PreparedRun): Promise<QueryResult<Row>> {
    const db = this.#db;
    const exchange = () => db.runExclusive(() => this.#exchange<Row>(name, sql, params, options));
    // Outside a transaction, wait for any transaction to end, as PGlite's query() does.
    return options.inTransaction ? exchange() : db._runExclusiveTransaction(exchange);
  }

  async #exchange<Row>(name: string, sql: string, params: readonly unknown[], options: PreparedRun): Promise<QueryResult<Row>> {
    const db = this.#db;
    let described = this.#described.get(name);
    if (described === undefined) {
      const messages = await db.execProtocolStream(concat([serialize.parse({ name, text: sql }), serialize.describe({ type: 'S', name }), serialize.sync()]), { syncToFs: false });
      described = { types: parse.parseDescribeStatementResults(messages), rows: messages.find((message) => message.name === 'rowDescription') };
      this.#described.set(name, described);
    }
    const { types } = described;
    const values = params.map((param, i) => {
      if (param === null || param === undefined) return null;
      const serializer = db.serializers[types[i]!];
      return serializer ? serializer(param) : String(param);
    });
    const run = [serialize.bind({ statement: name, values }), serialize.execute({}), serialize.sync()];
    // Simple queries around it set the mode for this run alone, even when it fails (the backend
    // skips to the Sync, then runs the reset).
    const messages = await db.execProtocolStream(concat(options.generic ? [FORCE_GENERIC, ...run, RESET_PLAN_MODE] : run), { syncToFs: !options.inTransaction });
    // The rows are read with the statement's description, put where Describe would have answered:
    // after the SET's completion when there is one (the parser starts a new result set there).
    if (described.rows) messages.splice(options.generic ? messages.findIndex((message) => message.name === 'commandComplete') + 1 : 0, 0, described.rows);
    const results = parse.parseResults(messages, db.parsers);
    const result = results[options.generic ? 1 : 0];
    const rows = (result?.rows ?? []) as Row[];
    return { rows, rowCount: result?.affectedRows ?? rows.length };
  }
}
