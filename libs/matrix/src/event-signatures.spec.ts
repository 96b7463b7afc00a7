import { describe, expect, it } from 'vitest';
import { SignatureError } from './errors.ts';
import { requiredSignatureServers, verifyEventSignatures, type VerifyKeyInfo } from './event-signatures.ts';
import { buildEvent, signEvent } from './event-signing.ts';
import type { JsonObject } from './json.ts';
import { SigningKey } from './keys.ts';
import { roomVersion } from './room-version.ts';

const alice = SigningKey.fromSeed(new Uint8Array(32).fill(1), 'a');
const bob = SigningKey.fromSeed(new Uint8Array(32).fill(2), 'b');
const keys = new Map<string, VerifyKeyInfo>([
  ['alice.example|ed25519:a', { publicKey: alice.publicKey, validUntilTs: 2000 }],
  ['bob.example|ed25519:b', { publicKey: bob.publicKey }],
]);
const lookupKey = (server: string, keyId: string) => keys.get(`${server}|${keyId}`);

function message(version: string, ts = 1000): JsonObject {
  return buildEvent(
    {
      type: 'm.room.message',
      sender: '@alice:alice.example',
      roomId: '!r:alice.example',
      content: { body: 'hello' },
      prevEvents: [],
      authEvents: [],
      depth: 2,
      originServerTs: ts,
      ...(version === '1' ? { eventId: '$e:bob.example' } : {}),
    },
    { roomVersion: roomVersion(version), serverName: 'alice.example', signingKey: alice },
  ).pdu;
}

describe('verifyEventSignatures', () => {
  it('accepts an event signed by the sender’s server, even after redaction of content', async () => {
    const event = message('10');
    await expect(verifyEventSignatures(event, roomVersion('10'), { lookupKey })).resolves.toBeUndefined();
    await expect(verifyEventSignatures({ ...event, content: {} }, roomVersion('10'), { lookupKey })).resolves.toBeUndefined();
  });

  it('rejects tampering with signed keys', async () => {
    const event = { ...message('10'), depth: 99 };
    await expect(verifyEventSignatures(event, roomVersion('10'), { lookupKey })).rejects.toThrow('does not match');
  });

  it('rejects events without a usable signature from the sender’s server', async () => {
    const event = message('10');
    await expect(verifyEventSignatures(event, roomVersion('10'), { lookupKey: () => undefined })).rejects.toThrow(
      'no signature from alice.example',
    );
    await expect(verifyEventSignatures({ ...event, signatures: {} }, roomVersion('10'), { lookupKey })).rejects.toThrow(
      SignatureError,
    );
  });

  it('enforces key validity from room version 5 only', async () => {
    const late = message('5', 3000);
    await expect(verifyEventSignatures(late, roomVersion('5'), { lookupKey })).rejects.toThrow('valid at origin_server_ts 3000');
    const lateV4 = message('4', 3000);
    await expect(verifyEventSignatures(lateV4, roomVersion('4'), { lookupKey })).resolves.toBeUndefined();
  });

  it('skips old keys that expired before the event', async () => {
    const event = message('10', 1000);
    const expired = () => ({ publicKey: alice.publicKey, expiredTs: 999 });
    await expect(verifyEventSignatures(event, roomVersion('10'), { lookupKey: expired })).rejects.toThrow('no signature');
    const stillValid = () => ({ publicKey: alice.publicKey, expiredTs: 1000 });
    await expect(verifyEventSignatures(event, roomVersion('10'), { lookupKey: stillValid })).resolves.toBeUndefined();
  });

  it('in v1 also requires the event ID’s server', async () => {
    const event = message('1');
    expect(requiredSignatureServers(event, roomVersion('1')).sort()).toEqual(['alice.example', 'bob.example']);
    await expect(verifyEventSignatures(event, roomVersion('1'), { lookupKey })).rejects.toThrow('not signed by bob.example');
    const both = signEvent(event, { roomVersion: roomVersion('1'), serverName: 'bob.example', signingKey: bob });
    await expect(verifyEventSignatures(both, roomVersion('1'), { lookupKey })).resolves.toBeUndefined();
  });

  it('requires the authorising server for restricted joins from v8', () => {
    const join = {
      type: 'm.room.member',
      sender: '@carol:carol.example',
      content: { membership: 'join', join_authorised_via_users_server: '@bob:bob.example' },
    };
    expect(requiredSignatureServers(join, roomVersion('8'))).toEqual(['carol.example', 'bob.example']);
    expect(requiredSignatureServers(join, roomVersion('7'))).toEqual(['carol.example']);
  });
});
