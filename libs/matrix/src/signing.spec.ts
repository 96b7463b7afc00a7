// The signing vectors of the spec's "Cryptographic Test Vectors" appendix, byte for byte.
import { describe, expect, it } from 'vitest';
import { decodeBase64, encodeUnpaddedBase64 } from './base64.ts';
import { encodeCanonicalJson } from './canonical-json.ts';
import { SignatureError } from './errors.ts';
import type { JsonObject } from './json.ts';
import { SigningKey, formatSigningKeyFile, parseSigningKeyFile, verifyEd25519 } from './keys.ts';
import { hasValidJsonSignature, signJson, signatureKeyIds, verifyJsonSignature } from './signing.ts';

const SPEC_SEED = decodeBase64('YJDBA9Xnr2sVqXD9Vj7XVUnmFZcZrlw8Md7kMW+3XA1');
const key = SigningKey.fromSeed(SPEC_SEED, '1');

describe('spec signing key', () => {
  it('is built from the appendix seed with key ID ed25519:1', () => {
    expect(SPEC_SEED).toHaveLength(32);
    expect(key.keyId).toBe('ed25519:1');
    expect(key.publicKey).toHaveLength(32);
  });

  it('rejects seeds of the wrong length', () => {
    expect(() => SigningKey.fromSeed(new Uint8Array(31), '1')).toThrow('31-byte seed');
  });

  it('round-trips through the key-file format', () => {
    const [parsed] = parseSigningKeyFile(formatSigningKeyFile([key]));
    expect(parsed!.keyId).toBe('ed25519:1');
    expect(parsed!.publicKeyBase64).toBe(key.publicKeyBase64);
    expect(() => parseSigningKeyFile('rsa 1 abc')).toThrow('line 1');
  });
});

describe('JSON signing vectors', () => {
  it('signs an empty object', () => {
    const signed = signJson({}, 'domain', key);
    expect(encodeCanonicalJson(signed)).toBe(
      encodeCanonicalJson({
        signatures: {
          domain: {
            'ed25519:1': 'K8280/U9SSy9IVtjBuVeLr+HpOB4BQFWbg+UZaADMtTdGYI7Geitb76LTrr5QV/7Xg4ahLwYGYZzuHGZKM5ZAQ',
          },
        },
      }),
    );
  });

  it('signs an object with data values', () => {
    const signed = signJson({ one: 1, two: 'Two' }, 'domain', key);
    expect(encodeCanonicalJson(signed)).toBe(
      '{"one":1,"signatures":{"domain":{"ed25519:1":"KqmLSbO39/Bzb0QIYE82zqLwsA+PDzYIpIRA2sRQ4sL53+sN6/fpNSoqE7BP7vBZhG6kYdD13EIMJpvhJI+6Bw"}},"two":"Two"}',
    );
  });
});

describe('verifyJsonSignature', () => {
  const signed = signJson({ one: 1, two: 'Two', unsigned: { age_ts: 5 } }, 'domain', key);
  const options = { keyId: key.keyId, publicKey: key.publicKey };

  it('accepts a valid signature, ignoring unsigned and other signatures', () => {
    expect(() => verifyJsonSignature(signed, 'domain', options)).not.toThrow();
    const other = SigningKey.fromSeed(new Uint8Array(32).fill(7), 'x');
    const doubly = signJson({ ...signed, unsigned: { age_ts: 99 } }, 'other.example', other);
    expect(hasValidJsonSignature(doubly, 'domain', options)).toBe(true);
    expect(signatureKeyIds(doubly, 'other.example')).toEqual(['ed25519:x']);
  });

  it('rejects changed content, missing signatures and bad base64 with a reason', () => {
    expect(() => verifyJsonSignature({ ...signed, one: 2 }, 'domain', options)).toThrow('does not match');
    expect(() => verifyJsonSignature(signed, 'elsewhere', options)).toThrow('no signatures from "elsewhere"');
    expect(() => verifyJsonSignature(signed, 'domain', { ...options, keyId: 'ed25519:2' })).toThrow(
      'no signature from "domain" with key "ed25519:2"',
    );
    const garbled: JsonObject = { ...signed, signatures: { domain: { 'ed25519:1': '!!!' } } };
    expect(() => verifyJsonSignature(garbled, 'domain', options)).toThrow(SignatureError);
    expect(() => verifyJsonSignature(garbled, 'domain', options)).toThrow('not valid base64');
  });

  it('verifies raw ed25519 and refuses malformed lengths', () => {
    const message = new TextEncoder().encode('hello');
    const signature = key.sign(message);
    expect(encodeUnpaddedBase64(signature)).toHaveLength(86);
    expect(verifyEd25519(key.publicKey, message, signature)).toBe(true);
    expect(verifyEd25519(key.publicKey, message, signature.subarray(1))).toBe(false);
    expect(verifyEd25519(key.publicKey.subarray(1), message, signature)).toBe(false);
  });
});
