// The storage port: what every other lib and role sees of PostgreSQL. Two implementations,
// `pg` (a pool over real PostgreSQL) and PGlite (embedded, one connection), behave the same.

export interface QueryResult<Row> {
  readonly rows: Row[];
  readonly rowCount: number;
}

export interface Queryable {
  /** Runs one parameterised statement ($1, $2, ...). int8 columns come back as JS numbers. */
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>>;
}

/** A connection held exclusively until released: for session-scoped locks and LISTEN. */
export interface Session extends Queryable {
  release(): Promise<void>;
  /** Called once if the underlying connection dies; session-scoped locks are gone then. */
  onLost(listener: (error: Error) => void): void;
}

/** A LISTEN on one channel (Database.listen), open until closed. */
export interface Listening {
  /** Stops listening (and frees its connection). */
  close(): Promise<void>;
  /**
   * Called once if the connection dies: notifications sent meanwhile are lost, so a listener
   * that keeps state on their strength must drop it and listen again.
   */
  onLost(listener: (error: Error) => void): void;
}

/** Connection use at one moment, for /metrics. */
export interface DatabasePoolStats {
  /** Open connections. */
  readonly total: number;
  /** Open connections not running anything; undefined where unknown (PGlite). */
  readonly idle: number | undefined;
  /** Callers waiting for a connection; undefined where unknown (PGlite). */
  readonly waiting: number | undefined;
  /** The most connections the pool opens. */
  readonly max: number;
}

export interface TransactionOptions {
  /**
   * Plans the transaction's statements generically (plan_cache_mode = force_generic_plan, for
   * this transaction only), so a statement marked prepared (prepared.ts) is planned once per
   * connection and then only run. For transactions whose every statement is an array write or a
   * read by keys, whose generic plan is the plan its values would get (the group commit of the
   * room persisters); a statement not marked is planned without its parameters' values.
   * On PGlite too (SET LOCAL in its one session).
   */
  readonly plannedGenerically?: boolean;
}

export interface Database extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  /** Connection use now. Optional so that wrappers (tests counting statements) need not forward it. */
  poolStats?(): DatabasePoolStats;
  /** Runs `work` inside BEGIN/COMMIT; any throw rolls back and is rethrown. */
  transaction<T>(work: (tx: Queryable) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  acquireSession(): Promise<Session>;
  /**
   * LISTENs on `channel`: `onNotify` gets the payload of each NOTIFY committed on it (by any
   * process on this database, this one included) from now on.
   */
  listen(channel: string, onNotify: (payload: string) => void): Promise<Listening>;
  close(): Promise<void>;
}

export interface PostgresConnectionOptions {
  readonly host?: string;
  readonly port?: number;
  readonly user?: string;
  readonly password?: string;
  readonly database?: string;
  /** Pool size. Default: 10. */
  readonly maxConnections?: number;
  /**
   * Whether a share of the pool (genericPlanConnections) is kept for the statements marked
   * preparedGeneric, planned generically: for a process that runs them (one hosting sync).
   * Default: false, every connection serves every statement.
   */
  readonly genericPlans?: boolean;
  /** Application name shown in pg_stat_activity. Default: 'homeserver'. */
  readonly applicationName?: string;
}

export type DatabaseOptions =
  | ({ readonly kind: 'postgres' } & PostgresConnectionOptions)
  | {
      readonly kind: 'pglite';
      /** Folder holding the embedded database; undefined = in memory (tests). */
      readonly path?: string;
    };

/** A statement failed; carries the SQLSTATE so callers can branch on e.g. unique violations. */
export class DatabaseError extends Error {
  override name = 'DatabaseError';
  readonly code: string | undefined;
  constructor(message: string, code: string | undefined, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

export const UNIQUE_VIOLATION = '23505';

export function isUniqueViolation(error: unknown): boolean {
  return error instanceof DatabaseError && error.code === UNIQUE_VIOLATION;
}
