// Adapters hand out plain Uint8Arrays, as the port promises. Client libraries give Buffers
// (or other subclasses) whose differences bite: Buffer's slice() shares memory, Uint8Array's copies.

/** The same bytes as a plain Uint8Array view (no copy); plain arrays pass through. */
export function plainBytes(data: Uint8Array, start = 0): Uint8Array {
  if (start === 0 && data.constructor === Uint8Array) return data;
  return new Uint8Array(data.buffer, data.byteOffset + start, data.byteLength - start);
}
