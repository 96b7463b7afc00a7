// Statements marked prepared (prepared.ts) as named prepared statements of PGlite's one session,
// as pg-database.ts runs them on PostgreSQL: each text is parsed and described once, then every
// run is one bind-execute-sync exchange with the WASM backend, where PGlite's own query() parses
// and analyses the text anew and crosses into WASM six times. Marked for generic plans
// (preparedGeneric, or a transaction planned generically), a statement is planned once too.
// Measured on a paged room read: 0.46 ms a run through query(), 0.32 ms prepared, 0.21 ms
// prepared and planned generically. Values are serialized and rows parsed with PGlite's own
// serializers and parsers (by type OID), so rows come back typed as query() types them.
import { parse, protocol, type PGlite } from '@electric-sql/pglite';
import type { QueryResult } from './database.ts';

const { serialize } = protocol;
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

/** A column of a statement's rows, with PGlite's parser for its type (none: the text as it is). */
interface Column {
  readonly name: string;
  readonly type: number;
  readonly parse: ((text: string, type: number) => unknown) | undefined;
}

interface Described {
  /** Parameter type OIDs. */
  readonly types: readonly number[];
  /** Its rows' columns (none for a statement returning no rows). */
  readonly columns: readonly Column[];
}

/** Rows counted by a command tag: "INSERT 0 5", "UPDATE 3", "DELETE 1" (as PGlite counts them). */
function countedRows(tag: string): number {
  const command = tag.slice(0, tag.indexOf(' '));
  return command === 'INSERT' || command === 'UPDATE' || command === 'DELETE' || command === 'COPY' || command === 'MERGE' ? Number(tag.slice(tag.lastIndexOf(' ') + 1)) : 0;
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
      const fields = (messages.find((message) => message.name === 'rowDescription') as { fields?: Array<{ name: string; dataTypeID: number }> } | undefined)?.fields ?? [];
      const columns = fields.map(({ name: column, dataTypeID }) => ({ name: column, type: dataTypeID, parse: db.parsers[dataTypeID] }));
      described = { types: parse.parseDescribeStatementResults(messages), columns };
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
    // Read with the columns described once (the SET and RESET around a generic run answer no rows).
    const { columns } = described;
    const rows: Row[] = [];
    let rowCount = 0;
    for (const message of messages) {
      if (message.name === 'dataRow') {
        const { fields } = message as unknown as { fields: ReadonlyArray<string | null> };
        const row: Record<string, unknown> = {};
        for (let i = 0; i < columns.length; i += 1) {
          const { name: column, type, parse: parseText } = columns[i]!;
          const text = fields[i];
          row[column] = text === null || text === undefined ? null : parseText ? parseText(text, type) : text;
        }
        rows.push(row as Row);
      } else if (message.name === 'commandComplete') {
        rowCount += countedRows((message as unknown as { text: string }).text);
      }
    }
    return { rows, rowCount };
  }
}
