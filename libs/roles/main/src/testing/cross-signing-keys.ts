// Test support: ed25519 keys named the way clients name cross-signing and device keys
// (`ed25519:<public key>` or `ed25519:<device id>`), and the signed objects clients upload.
import { randomBytes } from 'node:crypto';
import { SigningKey, encodeUnpaddedBase64, signingBytes, type JsonObject } from '@homeserver/matrix';

export class TestKey {
  readonly publicKeyBase64: string;
  readonly keyId: string;
  readonly #key: SigningKey;

  /** A fresh key; `keyId` defaults to `ed25519:<its public key>` (a cross-signing key). */
  constructor(keyId?: string) {
    // SigningKey wants a server-style version; the ID clients use is attached when signing.
    this.#key = SigningKey.fromSeed(randomBytes(32), 'test');
    this.publicKeyBase64 = this.#key.publicKeyBase64;
    this.keyId = keyId ?? `ed25519:${this.publicKeyBase64}`;
  }

  /** A copy of `value` with this key's signature as `userId` added. */
  sign<T extends Record<string, unknown>>(value: T, userId: string): T {
    const signature = encodeUnpaddedBase64(this.#key.sign(signingBytes(value as JsonObject)));
    const signatures = (value['signatures'] ?? {}) as Record<string, Record<string, string>>;
    return { ...value, signatures: { ...signatures, [userId]: { ...(signatures[userId] ?? {}), [this.keyId]: signature } } };
  }
}

/** A cross-signing key object of `usage`, signed by `signer` when given. */
export function crossSigningKey(userId: string, usage: string, key: TestKey, signer?: TestKey): Record<string, unknown> {
  const body = { user_id: userId, usage: [usage], keys: { [key.keyId]: key.publicKeyBase64 } };
  return signer ? signer.sign(body, userId) : body;
}

/** A device's keys as /keys/upload carries them, self-signed by the device's ed25519 key. */
export function deviceKeys(userId: string, deviceId: string, key: TestKey): Record<string, unknown> {
  return key.sign(
    {
      user_id: userId,
      device_id: deviceId,
      algorithms: ['m.olm.v1.curve25519-aes-sha2', 'm.megolm.v1.aes-sha2'],
      keys: { [`ed25519:${deviceId}`]: key.publicKeyBase64, [`curve25519:${deviceId}`]: encodeUnpaddedBase64(randomBytes(32)) },
    },
    userId,
  );
}

/** The three cross-signing keys of a user, ready to upload. */
export function crossSigningSet(userId: string): { master: TestKey; selfSigning: TestKey; userSigning: TestKey; body: Record<string, unknown> } {
  const master = new TestKey();
  const selfSigning = new TestKey();
  const userSigning = new TestKey();
  return {
    master,
    selfSigning,
    userSigning,
    body: {
      master_key: crossSigningKey(userId, 'master', master),
      self_signing_key: crossSigningKey(userId, 'self_signing', selfSigning, master),
      user_signing_key: crossSigningKey(userId, 'user_signing', userSigning, master),
    },
  };
}
