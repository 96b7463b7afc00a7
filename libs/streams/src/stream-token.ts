// Compact, URL-safe text for stream positions, used in sync tokens and pagination tokens.
//
// One stream's vector position:  <min>(~<writer id>.<position>)*   e.g. `4483` or `4483~2.4490~5.4501`
//   entries sorted by writer id; every position absolute, decimal, above <min>.
// A token of several streams:    s<vector>(_<vector>)*             e.g. `s72594_4483~2.4490_1934`
//   the caller fixes which stream sits at which index (the sync token's schema).
// Only digits, `s`, `~`, `.` and `_` appear: all unreserved in URLs, so no escaping is needed.
// Writer names become small integers through a WriterIds mapping (see writer-ids.ts), as
// Synapse's instance_map does, so tokens do not grow with instance name length.
import { VectorPosition } from './vector-position.ts';

/** Maps writer instance names to stable small integers and back. */
export interface WriterIds {
  idOf(writer: string): number;
  nameOf(id: number): string;
}

export class InvalidStreamTokenError extends Error {
  override name = 'InvalidStreamTokenError';
}

const VECTOR = /^(0|[1-9][0-9]{0,15})((?:~(?:0|[1-9][0-9]{0,9})\.(?:0|[1-9][0-9]{0,15}))*)$/;

export function encodeVector(position: VectorPosition, ids: WriterIds): string {
  const entries = [...position.writers].map(([writer, value]) => [ids.idOf(writer), value] as const);
  entries.sort((a, b) => a[0] - b[0]);
  return `${position.min}${entries.map(([id, value]) => `~${id}.${value}`).join('')}`;
}

export function decodeVector(text: string, ids: WriterIds): VectorPosition {
  const match = VECTOR.exec(text);
  if (!match) throw new InvalidStreamTokenError(`cannot decode stream position ${JSON.stringify(text)}: expected <min>(~<id>.<position>)*`);
  const min = Number(match[1]);
  const writers = new Map<string, number>();
  let lastId = -1;
  for (const entry of match[2]!.split('~').slice(1)) {
    const [idText, valueText] = entry.split('.');
    const id = Number(idText);
    const value = Number(valueText);
    if (id <= lastId) throw new InvalidStreamTokenError(`cannot decode stream position ${JSON.stringify(text)}: writer ids must be strictly increasing (${id} after ${lastId})`);
    if (value <= min) throw new InvalidStreamTokenError(`cannot decode stream position ${JSON.stringify(text)}: writer ${id} at ${value} is not above the floor ${min}`);
    if (!Number.isSafeInteger(value)) throw new InvalidStreamTokenError(`cannot decode stream position ${JSON.stringify(text)}: ${valueText} is too large`);
    lastId = id;
    writers.set(ids.nameOf(id), value);
  }
  if (!Number.isSafeInteger(min)) throw new InvalidStreamTokenError(`cannot decode stream position ${JSON.stringify(text)}: ${match[1]} is too large`);
  return VectorPosition.of(min, writers);
}

/** Several streams' positions as one token, in the caller's fixed stream order. */
export function encodeStreamToken(positions: readonly VectorPosition[], ids: WriterIds): string {
  return `s${positions.map((position) => encodeVector(position, ids)).join('_')}`;
}

/**
 * Decodes a token of `count` streams. A token with fewer parts (an older schema) is padded
 * with ZERO positions; more parts than `count` is an error.
 */
export function decodeStreamToken(token: string, ids: WriterIds, options: { count: number }): VectorPosition[] {
  if (!token.startsWith('s') || token.length < 2) {
    throw new InvalidStreamTokenError(`cannot decode stream token ${JSON.stringify(token)}: expected s<position>(_<position>)*`);
  }
  const parts = token.slice(1).split('_');
  if (parts.length > options.count) {
    throw new InvalidStreamTokenError(`cannot decode stream token ${JSON.stringify(token)}: ${parts.length} positions, expected at most ${options.count}`);
  }
  const positions = parts.map((part) => decodeVector(part, ids));
  while (positions.length < options.count) positions.push(VectorPosition.ZERO);
  return positions;
}

/** An in-memory WriterIds for tests and the monolith (ids in order of first use). */
export class MemoryWriterIds implements WriterIds {
  #byName = new Map<string, number>();
  #byId = new Map<number, string>();

  constructor(names: Iterable<string> = []) {
    for (const name of names) this.add(name);
  }

  add(name: string, id = this.#byName.get(name) ?? this.#byId.size + 1): number {
    this.#byName.set(name, id);
    this.#byId.set(id, name);
    return id;
  }

  idOf(writer: string): number {
    const id = this.#byName.get(writer);
    if (id === undefined) throw new InvalidStreamTokenError(`cannot encode a position of writer ${JSON.stringify(writer)}: it has no id`);
    return id;
  }

  nameOf(id: number): string {
    const name = this.#byId.get(id);
    if (name === undefined) throw new InvalidStreamTokenError(`cannot decode writer id ${id}: no writer has that id`);
    return name;
  }
}
