// Checks on cross-signing keys and signed key objects (cross_signing_key.yaml): shape, the one
// ed25519 public key a key carries, and signatures verified with libs/matrix's signing helpers.
import { isDeepStrictEqual } from 'node:util';
import { MatrixError, invalidParam } from '@homeserver/http';
import { decodeVerifyKey, isJsonObject, verifyJsonSignature, type JsonObject } from '@homeserver/matrix';
import type { CrossSigningKeyType } from '@homeserver/storage';

export const invalidSignature = (message: string) => new MatrixError(400, 'M_INVALID_SIGNATURE', message);

/** A verification key: its key ID (`ed25519:<id>`) and raw public key. */
export interface VerifyKey {
  readonly keyId: string;
  readonly publicKey: Uint8Array;
}

export interface CrossSigningKey extends VerifyKey {
  /** The unpadded base64 public key (the key's "device ID" in signatures and device lists). */
  readonly publicKeyBase64: string;
  readonly json: JsonObject;
}

/**
 * Reads a cross-signing key of `usage` belonging to `userId`, or throws 400 M_INVALID_PARAM
 * naming what is wrong (Synapse's `_check_cross_signing_key` plus the spec's key-ID form).
 */
export function parseCrossSigningKey(value: unknown, userId: string, usage: CrossSigningKeyType): CrossSigningKey {
  const what = `${usage} key`;
  if (!isJsonObject(value)) throw invalidParam(`cannot use the ${what}: it must be an object`);
  if (value['user_id'] !== userId) throw invalidParam(`cannot use the ${what}: its user_id ${JSON.stringify(value['user_id'])} is not ${userId}`);
  const usages = value['usage'];
  if (!Array.isArray(usages) || !usages.every((u) => typeof u === 'string') || !usages.includes(usage)) {
    throw invalidParam(`cannot use the ${what}: its usage must be a list of strings containing ${JSON.stringify(usage)}`);
  }
  const keys = value['keys'];
  if (!isJsonObject(keys) || Object.keys(keys).length !== 1) throw invalidParam(`cannot use the ${what}: keys must hold exactly one public key`);
  const [keyId, base64] = Object.entries(keys)[0]!;
  if (!keyId.startsWith('ed25519:') || typeof base64 !== 'string' || keyId !== `ed25519:${base64}`) {
    throw invalidParam(`cannot use the ${what}: its key ${JSON.stringify(keyId)} must be "ed25519:<unpadded base64 public key>" mapped to that public key`);
  }
  let publicKey: Uint8Array;
  try {
    publicKey = decodeVerifyKey(base64);
  } catch {
    throw invalidParam(`cannot use the ${what}: ${JSON.stringify(base64)} is not an unpadded base64 ed25519 public key`);
  }
  if (value['signatures'] !== undefined && !isJsonObject(value['signatures'])) throw invalidParam(`cannot use the ${what}: signatures must be an object`);
  return { keyId, publicKey, publicKeyBase64: base64, json: value };
}

/** The ed25519 key a device's keys carry under `ed25519:<device id>`, if it is well formed. */
export function deviceVerifyKey(deviceKeys: Record<string, unknown>, deviceId: string): VerifyKey | undefined {
  const keys = deviceKeys['keys'];
  const keyId = `ed25519:${deviceId}`;
  const base64 = isJsonObject(keys) ? keys[keyId] : undefined;
  if (typeof base64 !== 'string') return undefined;
  try {
    return { keyId, publicKey: decodeVerifyKey(base64) };
  } catch {
    return undefined;
  }
}

/** Throws 400 M_INVALID_SIGNATURE unless `userId` signed `value` with `key`. */
export function requireSignature(value: Record<string, unknown>, userId: string, key: VerifyKey, what: string): void {
  try {
    verifyJsonSignature(value as JsonObject, userId, { keyId: key.keyId, publicKey: key.publicKey });
  } catch (error) {
    // SignatureError for a missing or wrong signature, CanonicalJsonError for values canonical
    // JSON cannot carry (floats): either way the object is not validly signed.
    throw invalidSignature(`invalid signature on the ${what} by ${userId}'s key ${key.keyId}: ${(error as Error).message}`);
  }
}

/** Whether two key objects are the same apart from `signatures` and `unsigned`. */
export function sameSignedContent(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const strip = ({ signatures: _s, unsigned: _u, ...rest }: Record<string, unknown>) => rest;
  return isDeepStrictEqual(strip(a), strip(b));
}

/** The signatures object of a key object for one signer (empty when absent). */
export function signaturesOf(value: Record<string, unknown>, userId: string): Record<string, unknown> {
  const signatures = value['signatures'];
  const forUser = isJsonObject(signatures) ? signatures[userId] : undefined;
  return isJsonObject(forUser) ? forUser : {};
}
