// Signing JSON (appendices: "Signing JSON" / "Checking for a Signature"): the canonical JSON
// of the object without `signatures` and `unsigned` is signed, and the signature is stored
// under signatures[entity][keyId]. Objects are never mutated; signed copies are returned.
import { decodeBase64, encodeUnpaddedBase64 } from './base64.ts';
import { encodeCanonicalJsonBytes } from './canonical-json.ts';
import { Base64Error, SignatureError } from './errors.ts';
import { isJsonObject, type JsonObject } from './json.ts';
import { verifyEd25519, type SigningKey } from './keys.ts';

/** The bytes that a signature over `value` covers. */
export function signingBytes(value: JsonObject): Uint8Array {
  const { signatures: _signatures, unsigned: _unsigned, ...rest } = value;
  return encodeCanonicalJsonBytes(rest);
}

/** A copy of `value` with a signature by `key` added under `signatures[entity]`. */
export function signJson<T extends JsonObject>(value: T, entity: string, key: SigningKey): T {
  const signature = encodeUnpaddedBase64(key.sign(signingBytes(value)));
  const existing = isJsonObject(value['signatures']) ? value['signatures'] : {};
  const forEntity = isJsonObject(existing[entity]) ? existing[entity] : {};
  return { ...value, signatures: { ...existing, [entity]: { ...forEntity, [key.keyId]: signature } } };
}

export interface VerifyJsonSignatureOptions {
  /** The key ID the signature must be stored under, e.g. `ed25519:abc`. */
  keyId: string;
  /** The raw 32-byte ed25519 public key. */
  publicKey: Uint8Array;
}

/**
 * Checks that `entity` signed `value` with the given key. Throws SignatureError saying what
 * is missing or wrong; returns normally when the signature verifies.
 */
export function verifyJsonSignature(value: JsonObject, entity: string, options: VerifyJsonSignatureOptions): void {
  const signatures = value['signatures'];
  const forEntity = isJsonObject(signatures) ? signatures[entity] : undefined;
  if (!isJsonObject(forEntity)) throw new SignatureError(`object has no signatures from ${JSON.stringify(entity)}`);
  const encoded = forEntity[options.keyId];
  if (typeof encoded !== 'string') {
    throw new SignatureError(`object has no signature from ${JSON.stringify(entity)} with key ${JSON.stringify(options.keyId)}`);
  }
  let signature: Uint8Array;
  try {
    signature = decodeBase64(encoded);
  } catch (error) {
    if (error instanceof Base64Error) {
      throw new SignatureError(`signature from ${entity} key ${options.keyId} is not valid base64: ${error.message}`);
    }
    throw error;
  }
  if (!verifyEd25519(options.publicKey, signingBytes(value), signature)) {
    throw new SignatureError(`signature from ${entity} key ${options.keyId} does not match the object`);
  }
}

/** Boolean form of verifyJsonSignature. */
export function hasValidJsonSignature(value: JsonObject, entity: string, options: VerifyJsonSignatureOptions): boolean {
  try {
    verifyJsonSignature(value, entity, options);
    return true;
  } catch (error) {
    if (error instanceof SignatureError) return false;
    throw error;
  }
}

/** The key IDs `entity` has signatures under, in the object's order. */
export function signatureKeyIds(value: JsonObject, entity: string): string[] {
  const signatures = value['signatures'];
  const forEntity = isJsonObject(signatures) ? signatures[entity] : undefined;
  return isJsonObject(forEntity) ? Object.keys(forEntity) : [];
}
