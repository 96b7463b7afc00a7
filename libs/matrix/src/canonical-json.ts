// Canonical JSON (appendices: "Canonical JSON"): the shortest UTF-8 JSON with object keys
// sorted by Unicode code point, integers only within ±(2^53−1), no floats, no -0 distinction.
// Everything that is signed or hashed goes through encodeCanonicalJson.
import { CanonicalJsonError } from './errors.ts';
import { formatJsonPath, type PathSegment } from './json-path.ts';
import type { JsonValue } from './json.ts';

export interface CanonicalJsonOptions {
  /**
   * Encode floats and integers beyond ±(2^53−1) with JavaScript's number formatting instead
   * of throwing. Only for legacy room versions (v1–v5) whose events may carry such numbers;
   * the bytes may differ from what the origin server hashed. Default: false.
   */
  allowUnsafeNumbers?: boolean;
}

const encoder = new TextEncoder();

/** Canonical JSON text of `value`; throws CanonicalJsonError naming the offending path. */
export function encodeCanonicalJson(value: JsonValue, options: CanonicalJsonOptions = {}): string {
  return encodeValue(value, [], options.allowUnsafeNumbers === true);
}

/** Canonical JSON as the UTF-8 bytes that are signed and hashed. */
export function encodeCanonicalJsonBytes(value: JsonValue, options: CanonicalJsonOptions = {}): Uint8Array {
  return encoder.encode(encodeCanonicalJson(value, options));
}

/** Throws CanonicalJsonError (with the JSON path) unless `value` can be encoded canonically. */
export function assertCanonicalCompatible(value: unknown): asserts value is JsonValue {
  encodeValue(value as JsonValue, [], false);
}

/** True when `value` can be encoded canonically. */
export function isCanonicalCompatible(value: unknown): value is JsonValue {
  try {
    encodeValue(value as JsonValue, [], false);
    return true;
  } catch (error) {
    if (error instanceof CanonicalJsonError) return false;
    throw error;
  }
}

/**
 * Orders strings by Unicode code point. JavaScript's default sort compares UTF-16 code units,
 * which puts astral characters (surrogate pairs) before U+E000–U+FFFF; this corrects that.
 */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    let ca = a.charCodeAt(i);
    let cb = b.charCodeAt(i);
    if (ca !== cb) {
      if (ca >= 0xd800 && cb >= 0xd800) {
        // Lift surrogates above U+E000–U+FFFF so the order follows code points.
        ca += ca <= 0xdfff ? 0x2000 : -0x800;
        cb += cb <= 0xdfff ? 0x2000 : -0x800;
      }
      return ca - cb;
    }
  }
  return a.length - b.length;
}

// Recursion is the fast path; a value nested deeper than this is finished by the iterative
// encoder below, so no input (a stored event from before bodies were bounded, a remote server's
// JSON) can overflow the stack while being hashed, signed or measured.
const RECURSION_DEPTH = 256;

function encodeValue(value: JsonValue, path: PathSegment[], lenient: boolean): string {
  if (typeof value !== 'object' || value === null) return encodeScalar(value, path, lenient);
  if (path.length >= RECURSION_DEPTH) return encodeIteratively(value, path, lenient);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      path.push(i);
      out += encodeValue(value[i] as JsonValue, path, lenient);
      path.pop();
    }
    return `${out}]`;
  }
  let out = '{';
  let first = true;
  for (const key of objectKeys(value, path)) {
    const member = value[key];
    // Like JSON.stringify, undefined members are absent rather than an error.
    if (member === undefined) continue;
    path.push(key);
    const encodedKey = encodeKey(key, path);
    const encoded = encodeValue(member, path, lenient);
    path.pop();
    out += `${first ? '' : ','}${encodedKey}:${encoded}`;
    first = false;
  }
  return `${out}}`;
}

type Frame =
  | { readonly array: readonly JsonValue[]; index: number }
  | { readonly object: Readonly<Record<string, JsonValue>>; readonly keys: readonly string[]; index: number; wrote: boolean };

/** encodeValue for a container, with an explicit stack instead of recursion; same output. */
function encodeIteratively(root: JsonValue, path: PathSegment[], lenient: boolean): string {
  const parts: string[] = [];
  const stack: Frame[] = [];
  // Opens a container (its path segment stays pushed until it closes) or writes a scalar.
  const write = (value: JsonValue, nested: boolean) => {
    if (typeof value !== 'object' || value === null) {
      parts.push(encodeScalar(value, path, lenient));
      if (nested) path.pop();
    } else if (Array.isArray(value)) {
      parts.push('[');
      stack.push({ array: value, index: 0 });
    } else {
      parts.push('{');
      stack.push({ object: value, keys: objectKeys(value, path), index: 0, wrote: false });
    }
  };
  write(root, false);
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    if ('array' in frame) {
      if (frame.index < frame.array.length) {
        if (frame.index > 0) parts.push(',');
        path.push(frame.index);
        write(frame.array[frame.index++] as JsonValue, true);
        continue;
      }
      parts.push(']');
    } else {
      let key: string | undefined;
      while (frame.index < frame.keys.length && key === undefined) {
        const candidate = frame.keys[frame.index++]!;
        // Like JSON.stringify, undefined members are absent rather than an error.
        if (frame.object[candidate] !== undefined) key = candidate;
      }
      if (key !== undefined) {
        path.push(key);
        parts.push(`${frame.wrote ? ',' : ''}${encodeKey(key, path)}:`);
        frame.wrote = true;
        write(frame.object[key]!, true);
        continue;
      }
      parts.push('}');
    }
    stack.pop();
    // A closed container below the root drops its path segment.
    if (stack.length > 0) path.pop();
  }
  return parts.join('');
}

function encodeScalar(value: JsonValue, path: readonly PathSegment[], lenient: boolean): string {
  switch (typeof value) {
    case 'string':
      return encodeString(value, path);
    case 'number':
      if (Number.isSafeInteger(value)) return value === 0 ? '0' : String(value);
      if (lenient && Number.isFinite(value)) return JSON.stringify(value);
      return fail(
        path,
        Number.isInteger(value)
          ? `integer ${value} is outside the range ±(2^53−1)`
          : `${value} is not an integer (floats, NaN and Infinity are not allowed)`,
      );
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
      return fail(path, 'a container reached the scalar encoder');
    default:
      return fail(path, `a ${typeof value} is not a JSON value`);
  }
}

/** An object's keys in canonical order; throws unless it is a plain object. */
function objectKeys(value: object, path: readonly PathSegment[]): string[] {
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) {
    fail(path, `a ${(value as object).constructor?.name ?? 'non-plain'} object is not a JSON value`);
  }
  return sortKeys(Object.keys(value));
}

function encodeKey(key: string, path: readonly PathSegment[]): string {
  let encodedKey = keyCache.get(key);
  if (encodedKey === undefined) {
    encodedKey = encodeString(key, path);
    if (keyCache.size < KEY_CACHE_LIMIT) keyCache.set(key, encodedKey);
  }
  return encodedKey;
}

// Characters that need escaping, or a surrogate that needs a well-formedness check.
// eslint-disable-next-line no-control-regex
const NEEDS_CARE = /["\\\u0000-\u001f\ud800-\udfff]/;
const SURROGATE = /[\ud800-\udfff]/;

function encodeString(value: string, path: readonly PathSegment[]): string {
  // Most strings need no escapes: skip JSON.stringify's scan-and-copy for them.
  if (!NEEDS_CARE.test(value)) return `"${value}"`;
  if (!value.isWellFormed()) fail(path, 'string contains an unpaired UTF-16 surrogate, which UTF-8 cannot encode');
  // JSON.stringify emits exactly the grammar's escapes: \b \t \n \f \r \" \\ and \u00XX (lowercase hex).
  return JSON.stringify(value);
}

// Event keys repeat endlessly (type, content, sender...): remember their encoded form.
const keyCache = new Map<string, string>();
const KEY_CACHE_LIMIT = 10_000;

function sortKeys(keys: string[]): string[] {
  // The engine's default sort (UTF-16 order) is faster and agrees with code point order
  // unless a key holds a surrogate pair.
  if (keys.length < 2) return keys;
  for (const key of keys) if (SURROGATE.test(key)) return keys.sort(compareCodePoints);
  return keys.sort();
}

function fail(path: readonly PathSegment[], reason: string): never {
  throw new CanonicalJsonError(formatJsonPath(path), reason);
}
