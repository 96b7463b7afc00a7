// What a domain (events, receipts, typing...) tells the stream machinery about its stream:
// its name and its ONE catch-up call, which reads the domain table from PostgreSQL. Readers
// use it to fill every gap the bus leaves (principle 1), so it must return exactly the rows the
// writer would have put inline.
import type { Queryable } from '@homeserver/storage';

/** One row of a stream as readers receive it. */
export interface StreamRecord<Row> {
  readonly writer: string;
  readonly position: number;
  readonly data: Row;
}

export interface FetchRange {
  readonly writer: string;
  /** Exclusive lower bound. */
  readonly from: number;
  /** Inclusive upper bound. */
  readonly to: number;
  /** At most this many rows; the reader calls again from the last position it got. */
  readonly limit: number;
}

/** The rows of one kind of consumer: what `fetchSince` returns of them, nothing else. */
export interface StreamViewDefinition<Row> {
  /** The view's rows of `writer` with from < position <= to, ascending by position. */
  fetchSince(db: Queryable, range: FetchRange): Promise<Array<{ position: number; data: Row }>>;
}

export interface StreamDefinition<Row> {
  /** Lower-case letters, digits and `_`; names the subject `repl.<name>` and the sequence. */
  readonly name: string;
  /** Rows of `writer` with from < position <= to, ascending by position. */
  fetchSince(db: Queryable, range: FetchRange): Promise<Array<{ position: number; data: Row }>>;
  /**
   * Narrow views of the stream, by name (letters, digits, `_`): the writer tags each row it adds
   * with the views it belongs to (it knows at write time who needs it) and announces a view's
   * rows on the view's own subject, so a consumer following a view hears nothing of the rest.
   * The view's catch-up call must return exactly the rows the writers tagged. Default: none.
   */
  readonly views?: Readonly<Record<string, StreamViewDefinition<Row>>>;
  /** Bytes of a row inline on the bus. Default: UTF-8 JSON. */
  encodeRow?(row: Row): Uint8Array;
  /** Inverse of encodeRow. Default: UTF-8 JSON. */
  decodeRow?(bytes: Uint8Array): Row;
}

export class InvalidStreamNameError extends Error {
  override name = 'InvalidStreamNameError';
}

const STREAM_NAME = /^[a-z][a-z0-9_]{0,47}$/;

export function assertStreamName(name: string): void {
  if (!STREAM_NAME.test(name)) {
    throw new InvalidStreamNameError(`cannot use stream name ${JSON.stringify(name)}: expected lower-case letters, digits and "_", starting with a letter, at most 48 characters`);
  }
}

/** Validates and returns the definition (a registry-free factory: each domain exports its own). */
export function defineStream<Row>(definition: StreamDefinition<Row>): StreamDefinition<Row> {
  assertStreamName(definition.name);
  for (const view of Object.keys(definition.views ?? {})) {
    if (!/^[A-Za-z0-9_]{1,32}$/.test(view)) throw new InvalidStreamNameError(`cannot define view ${JSON.stringify(view)} of stream ${definition.name}: expected letters, digits and "_", at most 32 characters`);
  }
  return definition;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeRowWith<Row>(definition: StreamDefinition<Row>, row: Row): Uint8Array {
  return definition.encodeRow ? definition.encodeRow(row) : encoder.encode(JSON.stringify(row));
}

export function decodeRowWith<Row>(definition: StreamDefinition<Row>, bytes: Uint8Array): Row {
  return definition.decodeRow ? definition.decodeRow(bytes) : (JSON.parse(decoder.decode(bytes)) as Row);
}

/** The bus subject carrying a stream's advances. */
export function streamSubject(stream: string): string {
  return `repl.${stream}`;
}

/** The bus subject carrying the advances of one view of a stream (see StreamDefinition.views). */
export function viewSubject(stream: string, view: string): string {
  return `repl.${stream}.view.${view}`;
}

/**
 * The stream as a reader of one view sees it: the view's catch-up call instead of the stream's
 * (positions, writers and the sequence are the stream's).
 */
export function viewOf<Row>(definition: StreamDefinition<Row>, view: string): StreamDefinition<Row> {
  const found = definition.views?.[view];
  if (!found) throw new InvalidStreamNameError(`cannot follow view ${JSON.stringify(view)} of stream ${definition.name}: its views are ${Object.keys(definition.views ?? {}).join(', ') || 'none'}`);
  return { ...definition, fetchSince: (db, range) => found.fetchSince(db, range) };
}

/** The request subject a writer answers PositionQuery on. */
export function positionSubject(stream: string, writer: string): string {
  return `repl.${stream}.position.${writer}`;
}

/** The PostgreSQL sequence that hands out a stream's positions to all its writers. */
export function sequenceName(stream: string): string {
  return `stream_seq_${stream}`;
}

/** The streams a process knows, by name, so roles plug their domain tables in at start. */
export class StreamRegistry {
  #streams = new Map<string, StreamDefinition<unknown>>();

  register<Row>(definition: StreamDefinition<Row>): StreamDefinition<Row> {
    assertStreamName(definition.name);
    if (this.#streams.has(definition.name)) {
      throw new InvalidStreamNameError(`cannot register stream ${JSON.stringify(definition.name)}: a stream of that name is already registered`);
    }
    this.#streams.set(definition.name, definition as StreamDefinition<unknown>);
    return definition;
  }

  get<Row = unknown>(name: string): StreamDefinition<Row> {
    const definition = this.#streams.get(name);
    if (!definition) throw new InvalidStreamNameError(`cannot find stream ${JSON.stringify(name)}: registered are ${[...this.#streams.keys()].join(', ') || 'none'}`);
    return definition as StreamDefinition<Row>;
  }

  names(): string[] {
    return [...this.#streams.keys()];
  }
}
