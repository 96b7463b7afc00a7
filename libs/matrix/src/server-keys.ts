// Server key objects as published at /_matrix/key/v2/server: verify_keys (current keys),
// old_verify_keys (expired keys, still valid for old events), valid_until_ts, and a
// self-signature by the current keys.
import { SignatureError } from './errors.ts';
import { parseKeyId } from './ids/key-id.ts';
import { parseServerName } from './ids/server-name.ts';
import { isJsonObject, type JsonObject } from './json.ts';
import { decodeVerifyKey, type SigningKey } from './keys.ts';
import { signJson, signatureKeyIds, verifyJsonSignature } from './signing.ts';

/** Servers must not trust a key for longer than this past the time they fetched it (room v5+). */
export const MAX_KEY_VALIDITY_MS = 7 * 24 * 60 * 60 * 1000;

export interface OldVerifyKey {
  /** Raw 32-byte public key. */
  readonly key: Uint8Array;
  readonly expiredTs: number;
}

export interface ServerKeys {
  readonly serverName: string;
  /** keyId → raw public key. */
  readonly verifyKeys: ReadonlyMap<string, Uint8Array>;
  readonly oldVerifyKeys: ReadonlyMap<string, OldVerifyKey>;
  readonly validUntilTs: number;
  /** The signed JSON as received, for caching and re-serving by notaries. */
  readonly json: JsonObject;
}

export interface BuildServerKeysOptions {
  serverName: string;
  /** Current keys: listed in verify_keys, and each signs the response. */
  signingKeys: readonly SigningKey[];
  /** Until when others may cache the keys (ms since epoch); the caller picks it from its clock. */
  validUntilTs: number;
  /** Retired keys: keyId → { key: base64 public key, expired_ts }. Default: none. */
  oldVerifyKeys?: Readonly<Record<string, { key: string; expiredTs: number }>>;
}

/** Builds and signs the /_matrix/key/v2/server response body. */
export function buildServerKeys(options: BuildServerKeysOptions): JsonObject {
  if (options.signingKeys.length === 0) throw new SignatureError(`server ${options.serverName} needs at least one signing key`);
  const verifyKeys: JsonObject = {};
  for (const key of options.signingKeys) verifyKeys[key.keyId] = { key: key.publicKeyBase64 };
  const oldVerifyKeys: JsonObject = {};
  for (const [keyId, old] of Object.entries(options.oldVerifyKeys ?? {})) {
    oldVerifyKeys[keyId] = { key: old.key, expired_ts: old.expiredTs };
  }
  let body: JsonObject = {
    server_name: options.serverName,
    verify_keys: verifyKeys,
    old_verify_keys: oldVerifyKeys,
    valid_until_ts: options.validUntilTs,
  };
  for (const key of options.signingKeys) body = signJson(body, options.serverName, key);
  return body;
}

export interface ParseServerKeysOptions {
  /** Reject a response for another server than the one asked. Default: no check. */
  expectedServerName?: string;
}

/**
 * Validates a server key response and its self-signatures: every signature the server made
 * must be by one of its verify_keys and must verify, and there must be at least one.
 */
export function parseServerKeys(json: JsonObject, options: ParseServerKeysOptions = {}): ServerKeys {
  const serverName = json['server_name'];
  if (typeof serverName !== 'string') throw new SignatureError('server key response has no string server_name');
  parseServerName(serverName);
  if (options.expectedServerName !== undefined && serverName !== options.expectedServerName) {
    throw new SignatureError(`server key response is for ${serverName}, expected ${options.expectedServerName}`);
  }
  const validUntilTs = json['valid_until_ts'];
  if (typeof validUntilTs !== 'number' || !Number.isSafeInteger(validUntilTs)) {
    throw new SignatureError(`server key response for ${serverName} has no integer valid_until_ts`);
  }
  const verifyKeys = new Map<string, Uint8Array>();
  const rawVerify = json['verify_keys'];
  if (!isJsonObject(rawVerify)) throw new SignatureError(`server key response for ${serverName} has no verify_keys object`);
  for (const [keyId, entry] of Object.entries(rawVerify)) {
    parseKeyId(keyId);
    if (!isJsonObject(entry) || typeof entry['key'] !== 'string') {
      throw new SignatureError(`verify key ${keyId} of ${serverName} has no string "key"`);
    }
    verifyKeys.set(keyId, decodeVerifyKey(entry['key']));
  }
  const oldVerifyKeys = new Map<string, OldVerifyKey>();
  const rawOld = json['old_verify_keys'] ?? {};
  if (!isJsonObject(rawOld)) throw new SignatureError(`old_verify_keys of ${serverName} is not an object`);
  for (const [keyId, entry] of Object.entries(rawOld)) {
    parseKeyId(keyId);
    if (!isJsonObject(entry) || typeof entry['key'] !== 'string' || typeof entry['expired_ts'] !== 'number') {
      throw new SignatureError(`old verify key ${keyId} of ${serverName} needs a string "key" and integer "expired_ts"`);
    }
    oldVerifyKeys.set(keyId, { key: decodeVerifyKey(entry['key']), expiredTs: entry['expired_ts'] });
  }
  const signedWith = signatureKeyIds(json, serverName);
  if (signedWith.length === 0) throw new SignatureError(`server key response for ${serverName} is not signed by ${serverName}`);
  for (const keyId of signedWith) {
    const publicKey = verifyKeys.get(keyId);
    if (publicKey === undefined) {
      throw new SignatureError(`server key response for ${serverName} is signed with ${keyId}, which is not in its verify_keys`);
    }
    verifyJsonSignature(json, serverName, { keyId, publicKey });
  }
  return { serverName, verifyKeys, oldVerifyKeys, validUntilTs, json };
}

/**
 * How long a fetched key may be trusted for event signatures in room versions that enforce
 * key validity: the lesser of valid_until_ts and seven days after it was fetched.
 */
export function effectiveKeyValidUntil(validUntilTs: number, fetchedAtTs: number): number {
  return Math.min(validUntilTs, fetchedAtTs + MAX_KEY_VALIDITY_MS);
}
