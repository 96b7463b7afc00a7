// How an actor protocol's messages and results become bytes when the call crosses the
// transport. Local calls skip the codec entirely (objects are handed over as they are), so
// messages must be treated as immutable by both sides.

export interface MessageCodec {
  encode(value: unknown): Uint8Array;
  decode(bytes: Uint8Array): unknown;
}

/** A message could not be decoded: the two sides disagree on the protocol. */
export class MessageDecodeError extends Error {
  override name = 'MessageDecodeError';
  constructor(detail: string, options?: { cause?: unknown }) {
    super(`cannot decode actor message: ${detail}`, options);
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const EMPTY = new Uint8Array(0);

/** The default: JSON text. `undefined` travels as zero bytes so void methods round-trip. */
export const jsonCodec: MessageCodec = {
  encode(value) {
    return value === undefined ? EMPTY : encoder.encode(JSON.stringify(value));
  },
  decode(bytes) {
    if (bytes.byteLength === 0) return undefined;
    const text = decoder.decode(bytes);
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new MessageDecodeError(`invalid JSON ${JSON.stringify(text.slice(0, 80))}`, { cause: error });
    }
  },
};
