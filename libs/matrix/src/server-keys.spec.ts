import { describe, expect, it } from 'vitest';
import { encodeUnpaddedBase64 } from './base64.ts';
import { SigningKey } from './keys.ts';
import { MAX_KEY_VALIDITY_MS, buildServerKeys, effectiveKeyValidUntil, parseServerKeys } from './server-keys.ts';
import { signJson } from './signing.ts';

const current = SigningKey.fromSeed(new Uint8Array(32).fill(1), 'abc123');
const old = SigningKey.fromSeed(new Uint8Array(32).fill(2), '0ldk3y');

describe('server keys', () => {
  const body = buildServerKeys({
    serverName: 'example.org',
    signingKeys: [current],
    validUntilTs: 1652262000000,
    oldVerifyKeys: { [old.keyId]: { key: old.publicKeyBase64, expiredTs: 1532645052628 } },
  });

  it('builds the /_matrix/key/v2/server shape', () => {
    expect(Object.keys(body).sort()).toEqual(['old_verify_keys', 'server_name', 'signatures', 'valid_until_ts', 'verify_keys']);
    expect(body['verify_keys']).toEqual({ 'ed25519:abc123': { key: current.publicKeyBase64 } });
    expect(body['old_verify_keys']).toEqual({ 'ed25519:0ldk3y': { key: old.publicKeyBase64, expired_ts: 1532645052628 } });
  });

  it('parses and verifies its own output', () => {
    const parsed = parseServerKeys(body, { expectedServerName: 'example.org' });
    expect(parsed.serverName).toBe('example.org');
    expect(encodeUnpaddedBase64(parsed.verifyKeys.get('ed25519:abc123')!)).toBe(current.publicKeyBase64);
    expect(parsed.oldVerifyKeys.get('ed25519:0ldk3y')!.expiredTs).toBe(1532645052628);
    expect(parsed.validUntilTs).toBe(1652262000000);
  });

  it('accepts extra signatures by notaries but not by unlisted keys of the server itself', () => {
    const notary = SigningKey.fromSeed(new Uint8Array(32).fill(3), 'n');
    expect(() => parseServerKeys(signJson(body, 'notary.example', notary))).not.toThrow();
    expect(() => parseServerKeys(signJson(body, 'example.org', old))).toThrow('not in its verify_keys');
  });

  it('rejects tampering, wrong server and unsigned responses', () => {
    expect(() => parseServerKeys({ ...body, valid_until_ts: 1 })).toThrow('does not match');
    expect(() => parseServerKeys(body, { expectedServerName: 'other.org' })).toThrow('expected other.org');
    const { signatures: _s, ...unsigned } = body;
    expect(() => parseServerKeys(unsigned)).toThrow('not signed');
    expect(() => parseServerKeys({ ...body, verify_keys: { 'ed25519:abc123': { key: 'AAAA' } } })).toThrow('3 bytes');
  });

  it('caps key validity at seven days after fetching', () => {
    expect(effectiveKeyValidUntil(10, 0)).toBe(10);
    expect(effectiveKeyValidUntil(Number.MAX_SAFE_INTEGER, 1000)).toBe(1000 + MAX_KEY_VALIDITY_MS);
  });
});
