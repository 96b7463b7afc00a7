// Unpadded base64 (appendices: "Unpadded Base64"), standard and URL-safe alphabets. Decoding
// accepts padded input too, as the spec recommends, but rejects anything else that is not
// base64 of the chosen alphabet instead of silently skipping characters like Buffer does.
import { Base64Error } from './errors.ts';

export type Base64Alphabet = 'standard' | 'url-safe';

export interface DecodeBase64Options {
  /** Which alphabet the input must use. Default: 'standard'. */
  alphabet?: Base64Alphabet;
  /**
   * Reject encodings whose unused trailing bits are not zero (non-canonical encodings).
   * Default: false, because real data (including the spec's own signing-key test seed)
   * carries such encodings.
   */
  rejectNonZeroTrailingBits?: boolean;
}

const STANDARD = /^[A-Za-z0-9+/]*$/;
const URL_SAFE = /^[A-Za-z0-9_-]*$/;

export function encodeUnpaddedBase64(bytes: Uint8Array): string {
  return stripPadding(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'));
}

export function encodeUrlSafeBase64(bytes: Uint8Array): string {
  // Node's base64url output is already unpadded.
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

export function decodeBase64(text: string, options: DecodeBase64Options = {}): Uint8Array {
  const alphabet = options.alphabet ?? 'standard';
  const body = stripPadding(text);
  if (body.length !== text.length) {
    const padding = text.length - body.length;
    if (padding > 2 || text.length % 4 !== 0) throw new Base64Error(text, 'padding "=" is misplaced or too long');
  }
  if (!(alphabet === 'standard' ? STANDARD : URL_SAFE).test(body)) {
    throw new Base64Error(text, `it contains characters outside the ${alphabet} base64 alphabet`);
  }
  const remainder = body.length % 4;
  if (remainder === 1) throw new Base64Error(text, 'its length leaves a single dangling character');
  const bytes = Buffer.from(body, alphabet === 'standard' ? 'base64' : 'base64url');
  if (options.rejectNonZeroTrailingBits === true && remainder !== 0) {
    const last = body.charCodeAt(body.length - 1);
    const value = sextet(last);
    const mask = remainder === 2 ? 0b1111 : 0b11;
    if ((value & mask) !== 0) throw new Base64Error(text, 'its unused trailing bits are not zero');
  }
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function decodeUrlSafeBase64(text: string, options: Omit<DecodeBase64Options, 'alphabet'> = {}): Uint8Array {
  return decodeBase64(text, { ...options, alphabet: 'url-safe' });
}

function stripPadding(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 61 /* = */) end--;
  return end === text.length ? text : text.slice(0, end);
}

function sextet(code: number): number {
  if (code >= 65 && code <= 90) return code - 65;
  if (code >= 97 && code <= 122) return code - 71;
  if (code >= 48 && code <= 57) return code + 4;
  return code === 43 || code === 45 ? 62 : 63;
}
