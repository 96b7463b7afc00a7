// End-to-end encryption between two servers with real clients: matrix-js-sdk with its Rust
// crypto, one user on each of two instances of this server (separate processes and databases,
// federating over TLS on loopback). The SDKs find each other's devices through /keys/query
// (answered from the remote device list cache or the other server), claim one-time keys over
// /user/keys/claim, share the megolm session as Olm-encrypted to-device messages that cross as
// m.direct_to_device EDUs, and each decrypts the other's messages. Every JSON answer the SDKs
// receive is checked against v1.19.
import { EventType, Method, MsgType, type MatrixClient, type MatrixEvent } from 'matrix-js-sdk';
import { startFederationCluster, type FederationCluster } from '@homeserver/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from './testing/room-history.ts';
import { registerUser } from './testing/sdk-clients.ts';
import { MEGOLM, PooledFetch, privateDispatcher, startCryptoClient, type CryptoUser } from './testing/sdk-crypto.ts';
import { describeViolations } from './testing/spec-checked-fetch.ts';

let cluster: FederationCluster;
const fetchers: PooledFetch[] = [];
const started: MatrixClient[] = [];
let alice: CryptoUser;
let bob: CryptoUser;

beforeAll(async () => {
  cluster = await startFederationCluster({ count: 2 });
  const [a, b] = cluster.members;
  for (const member of [a!, b!]) fetchers.push(new PooledFetch(await privateDispatcher(member.clientUrl)));
  alice = await startCryptoClient(await registerUser('alice', { baseUrl: a!.clientUrl, fetcher: fetchers[0]! }), started);
  bob = await startCryptoClient(await registerUser('bob', { baseUrl: b!.clientUrl, fetcher: fetchers[1]! }), started);
}, 300_000);

afterAll(async () => {
  await Promise.all(fetchers.map((fetcher) => fetcher.quiet()));
  for (const client of started.splice(0)) client.stopClient();
  for (const fetcher of fetchers) await fetcher.close();
  await cluster?.close();
}, 120_000);

afterEach(async () => {
  for (const fetcher of fetchers) {
    const violations = await fetcher.takeViolations();
    expect(violations, `spec violations:\n${describeViolations(violations)}`).toEqual([]);
  }
});

function decrypted(client: MatrixClient, roomId: string, eventId: string): MatrixEvent | undefined {
  const event = client.getRoom(roomId)?.findEventById(eventId);
  return event && !event.isBeingDecrypted() && !event.isDecryptionFailure() && event.getType() === EventType.RoomMessage ? event : undefined;
}

describe('matrix-js-sdk with Rust crypto across two servers', () => {
  it('a user on each server exchanges megolm-encrypted messages in an encrypted room, each decrypting the other', async () => {
    const { room_id: roomId } = await alice.client.createRoom({
      preset: 'public_chat' as never,
      initial_state: [{ type: 'm.room.encryption', state_key: '', content: { algorithm: MEGOLM } }],
    });
    await bob.client.joinRoom(roomId, { viaServers: [cluster.members[0]!.serverName] });
    await waitUntil('alice sees bob joined', () => alice.client.getRoom(roomId)?.getMember(bob.userId)?.membership === 'join', { timeoutMs: 60_000 });
    expect(await alice.crypto.isEncryptionEnabledInRoom(roomId)).toBe(true);

    const { event_id: fromAlice } = await alice.client.sendMessage(roomId, { msgtype: MsgType.Text, body: 'the eagle lands at noon' });
    const seenByBob = await waitUntil('bob decrypts alice\u2019s message', () => decrypted(bob.client, roomId, fromAlice), { timeoutMs: 90_000 });
    expect(seenByBob.getContent()['body']).toBe('the eagle lands at noon');
    expect(seenByBob.getWireType()).toBe('m.room.encrypted');
    // Bob's server only ever held ciphertext.
    const stored = await bob.client.http.authedRequest<{ type: string; content: Record<string, unknown> }>(Method.Get, `/rooms/${encodeURIComponent(roomId)}/event/${encodeURIComponent(fromAlice)}`);
    expect(stored.type).toBe('m.room.encrypted');
    expect(JSON.stringify(stored)).not.toContain('eagle');

    const { event_id: fromBob } = await bob.client.sendMessage(roomId, { msgtype: MsgType.Text, body: 'understood' });
    const seenByAlice = await waitUntil('alice decrypts bob\u2019s reply', () => decrypted(alice.client, roomId, fromBob), { timeoutMs: 90_000 });
    expect(seenByAlice.getContent()['body']).toBe('understood');
  });
});
