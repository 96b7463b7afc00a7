// Ed25519 signing keys as Matrix uses them: built from a caller-supplied 32-byte seed (the
// library never draws randomness itself), identified by a key ID `ed25519:<version>`, and
// published as unpadded base64 public keys.
import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { decodeBase64, encodeUnpaddedBase64 } from './base64.ts';
import { SignatureError } from './errors.ts';
import { formatKeyId, parseKeyId } from './ids/key-id.ts';

export const ED25519 = 'ed25519';
const SEED_BYTES = 32;
const PUBLIC_KEY_BYTES = 32;
const SIGNATURE_BYTES = 64;
// DER prefixes that wrap a raw 32-byte ed25519 seed / public key as PKCS#8 / SPKI.
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export class SigningKey {
  readonly algorithm = ED25519;
  /** The key version, e.g. `a_XYZ` or `1`. */
  readonly version: string;
  /** `ed25519:<version>` */
  readonly keyId: string;
  readonly publicKey: Uint8Array;
  readonly #privateKey: KeyObject;
  readonly #seed: Uint8Array;

  private constructor(seed: Uint8Array, version: string) {
    this.version = version;
    this.keyId = formatKeyId(ED25519, version);
    parseKeyId(this.keyId);
    this.#seed = Uint8Array.from(seed);
    this.#privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
    const spki = createPublicKey(this.#privateKey).export({ format: 'der', type: 'spki' });
    this.publicKey = new Uint8Array(spki.subarray(spki.length - PUBLIC_KEY_BYTES));
  }

  /** A key from a 32-byte seed; `version` is the part of the key ID after `ed25519:`. */
  static fromSeed(seed: Uint8Array, version: string): SigningKey {
    if (seed.byteLength !== SEED_BYTES) {
      throw new SignatureError(`cannot build an ed25519 key from a ${seed.byteLength}-byte seed; it must be ${SEED_BYTES} bytes`);
    }
    return new SigningKey(seed, version);
  }

  get publicKeyBase64(): string {
    return encodeUnpaddedBase64(this.publicKey);
  }

  /** The 64-byte ed25519 signature of `message`. */
  sign(message: Uint8Array): Uint8Array {
    return new Uint8Array(sign(null, message, this.#privateKey));
  }

  /** The seed, for persisting the key (e.g. in a Synapse-style signing key file). */
  exportSeed(): Uint8Array {
    return Uint8Array.from(this.#seed);
  }
}

/** Checks a raw ed25519 signature; false for any mismatch or malformed key/signature length. */
export function verifyEd25519(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.byteLength !== PUBLIC_KEY_BYTES || signature.byteLength !== SIGNATURE_BYTES) return false;
  const key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' });
  return verify(null, message, key, signature);
}

/** Decodes an unpadded-base64 ed25519 public key, checking its length. */
export function decodeVerifyKey(base64: string): Uint8Array {
  const bytes = decodeBase64(base64);
  if (bytes.byteLength !== PUBLIC_KEY_BYTES) {
    throw new SignatureError(`verify key ${JSON.stringify(base64)} decodes to ${bytes.byteLength} bytes, not ${PUBLIC_KEY_BYTES}`);
  }
  return bytes;
}

/**
 * Reads a signing key in Synapse's key-file line format: `ed25519 <version> <base64 seed>`.
 * Several lines give several keys.
 */
export function parseSigningKeyFile(text: string): SigningKey[] {
  const keys: SigningKey[] = [];
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (line === '') continue;
    const parts = line.split(/\s+/);
    if (parts.length !== 3 || parts[0] !== ED25519) {
      throw new SignatureError(`signing key file line ${index + 1} is not "ed25519 <version> <base64 seed>"`);
    }
    keys.push(SigningKey.fromSeed(decodeBase64(parts[2]!), parts[1]!));
  }
  return keys;
}

export function formatSigningKeyFile(keys: readonly SigningKey[]): string {
  return keys.map((key) => `${ED25519} ${key.version} ${encodeUnpaddedBase64(key.exportSeed())}\n`).join('');
}
