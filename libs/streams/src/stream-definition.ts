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

export interface StreamDefinition<Row> {
  /** Lower-case letters, digits and `_`; names the subject `repl.<name>` and the sequence. */
  readonly name: string;
  /** Rows of `writer` with from < position <= to, ascending by position. */
  fetchSince(db: Queryable, range: FetchRange): Promise<Array<{ position: number; data: Row }>>;
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
