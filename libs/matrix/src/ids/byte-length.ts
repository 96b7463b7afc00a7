// UTF-8 byte length of a string: the spec's identifier and field limits are in bytes, not
// UTF-16 code units.

export function utf8ByteLength(value: string): number {
  return Buffer.byteLength(value, 'utf8');
}

/** The spec's limit for user IDs, room IDs, aliases, event IDs, state keys and event types. */
export const MAX_ID_BYTES = 255;
