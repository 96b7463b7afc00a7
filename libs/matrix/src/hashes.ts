// Content hashes and reference hashes (server-server API, "Signing Events"). The content
// hash covers the whole event so tampering with redactable keys is detectable; the reference
// hash covers the redacted event and names the event in room versions 3+.
import { hash } from 'node:crypto';
import { decodeBase64, encodeUnpaddedBase64 } from './base64.ts';
import { encodeCanonicalJson, type CanonicalJsonOptions } from './canonical-json.ts';
import { Base64Error } from './errors.ts';
import { isJsonObject, type JsonObject } from './json.ts';
import { redactEvent } from './redaction.ts';
import type { RoomVersion } from './room-version.ts';

function sha256(text: string): Uint8Array {
  // One-shot hashing avoids creating a Hash object per event (measurably cheaper for ~1 KB inputs).
  const digest = hash('sha256', text, 'buffer');
  return new Uint8Array(digest.buffer, digest.byteOffset, digest.byteLength);
}

function numberOptions(version: RoomVersion | undefined): CanonicalJsonOptions {
  return { allowUnsafeNumbers: version !== undefined && !version.strictCanonicalJson };
}

export interface HashOptions {
  /** Allows legacy numbers when the version is pre-v6. Default: strict canonical JSON. */
  roomVersion?: RoomVersion;
}

/** SHA-256 of the event without `unsigned`, `signatures` and `hashes`. */
export function computeContentHash(event: JsonObject, options: HashOptions = {}): Uint8Array {
  const { unsigned: _u, signatures: _s, hashes: _h, ...rest } = event;
  return sha256(encodeCanonicalJson(rest, numberOptions(options.roomVersion)));
}

/** A copy of `event` with `hashes.sha256` set to its content hash. */
export function addContentHash(event: JsonObject, options: HashOptions = {}): JsonObject {
  const existing = isJsonObject(event['hashes']) ? event['hashes'] : {};
  return { ...event, hashes: { ...existing, sha256: encodeUnpaddedBase64(computeContentHash(event, options)) } };
}

/**
 * True when `hashes.sha256` matches the event's content. A mismatch means the event must be
 * treated as redacted, not dropped.
 */
export function verifyEventHashes(event: JsonObject, options: HashOptions = {}): boolean {
  const hashes = event['hashes'];
  const claimed = isJsonObject(hashes) ? hashes['sha256'] : undefined;
  if (typeof claimed !== 'string') return false;
  let expected: Uint8Array;
  try {
    expected = decodeBase64(claimed);
  } catch (error) {
    if (error instanceof Base64Error) return false;
    throw error;
  }
  const actual = computeContentHash(event, options);
  return Buffer.from(actual).equals(Buffer.from(expected));
}

/** SHA-256 of the redacted event without `signatures` and `unsigned`. */
export function computeReferenceHash(event: JsonObject, version: RoomVersion): Uint8Array {
  const { signatures: _s, unsigned: _u, ...rest } = redactEvent(event, version);
  return sha256(encodeCanonicalJson(rest, numberOptions(version)));
}
