// Issue 9's first must-show: two instances of this server, separate processes with their own
// PostgreSQL databases and server names, federating over TLS on loopback (libs/testing's
// federation cluster). Each joins the other's room; messages and state changes flow both ways;
// a ban by one side is honoured by the other; a leave and a rejoin work; a server stopped for a
// while receives everything it missed once restarted, and its client's /sync serves no event twice.
import { ClusterClient, startFederationCluster, type FederationCluster } from '@homeserver/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, SyncWatcher } from './testing/federation-watcher.ts';

let cluster: FederationCluster;
let alice: ClusterClient;
let bob: ClusterClient;
let aliceSync: SyncWatcher;
let bobSync: SyncWatcher;
/** Alice's room, on the first server; Bob's room, on the second. */
let roomA = '';
let roomB = '';

const enc = encodeURIComponent;

beforeAll(async () => {
  cluster = await startFederationCluster({
    count: 2,
    // Retries come quickly, so a restarted server is caught up within the test's patience.
    extra: { federation: { destination_min_retry_interval: '1s', destination_max_retry_interval: '2s' } },
  });
  const [a, b] = cluster.members;
  alice = new ClusterClient(a!.clientUrl);
  bob = new ClusterClient(b!.clientUrl);
  await alice.register('alice');
  await bob.register('bob');
  aliceSync = new SyncWatcher(alice);
  bobSync = new SyncWatcher(bob);
  await aliceSync.poll(0);
  await bobSync.poll(0);
}, 300_000);

afterAll(async () => {
  await cluster?.close();
});

async function state(client: ClusterClient, roomId: string, type: string, stateKey = ''): Promise<Record<string, unknown> | undefined> {
  const answer = await client.call('GET', `/rooms/${enc(roomId)}/state/${enc(type)}/${enc(stateKey)}`);
  return answer.status === 200 ? answer.json : undefined;
}

async function membership(client: ClusterClient, roomId: string, userId: string): Promise<string | undefined> {
  return (await state(client, roomId, 'm.room.member', userId))?.['membership'] as string | undefined;
}

describe('two instances federating over TLS on loopback', () => {
  it("each joins the other's room", async () => {
    const [a, b] = cluster.members;
    const createdA = await alice.call('POST', '/createRoom', { preset: 'public_chat', name: 'Room on A' });
    expect(createdA.status).toBe(200);
    roomA = String(createdA.json['room_id']);
    const createdB = await bob.call('POST', '/createRoom', { preset: 'public_chat', name: 'Room on B' });
    expect(createdB.status).toBe(200);
    roomB = String(createdB.json['room_id']);

    const bobJoins = await bob.call('POST', `/join/${enc(roomA)}?server_name=${enc(a!.serverName)}`, {});
    expect(bobJoins.status, JSON.stringify(bobJoins.json)).toBe(200);
    const aliceJoins = await alice.call('POST', `/join/${enc(roomB)}?server_name=${enc(b!.serverName)}`, {});
    expect(aliceJoins.status, JSON.stringify(aliceJoins.json)).toBe(200);

    // Each server holds the other's join in the room it created.
    await eventually('A sees Bob joined', async () => (await membership(alice, roomA, bob.userId)) === 'join');
    await eventually('B sees Alice joined', async () => (await membership(bob, roomB, alice.userId)) === 'join');
    expect((await state(bob, roomA, 'm.room.name'))?.['name']).toBe('Room on A');
  });

  it('messages flow both ways in both rooms', async () => {
    for (const roomId of [roomA, roomB]) {
      expect((await alice.send(roomId, `alice in ${roomId}`)).status).toBe(200);
      expect((await bob.send(roomId, `bob in ${roomId}`)).status).toBe(200);
    }
    for (const roomId of [roomA, roomB]) {
      await bobSync.until(`Alice's message in ${roomId}`, () => bobSync.bodies(roomId).includes(`alice in ${roomId}`));
      await aliceSync.until(`Bob's message in ${roomId}`, () => aliceSync.bodies(roomId).includes(`bob in ${roomId}`));
    }
  });

  it('state changes flow both ways', async () => {
    expect((await alice.call('PUT', `/rooms/${enc(roomA)}/state/m.room.topic/`, { topic: 'set on A' })).status).toBe(200);
    // Bob is allowed to set Room B's topic (his room); Alice reads it on her server.
    expect((await bob.call('PUT', `/rooms/${enc(roomB)}/state/m.room.topic/`, { topic: 'set on B' })).status).toBe(200);
    await eventually('B holds the topic set on A', async () => (await state(bob, roomA, 'm.room.topic'))?.['topic'] === 'set on A');
    await eventually('A holds the topic set on B', async () => (await state(alice, roomB, 'm.room.topic'))?.['topic'] === 'set on B');
  });

  it('a ban by one side is honoured by the other', async () => {
    const banned = await alice.call('POST', `/rooms/${enc(roomA)}/ban`, { user_id: bob.userId, reason: 'test ban' });
    expect(banned.status).toBe(200);
    await eventually("B holds Bob's ban", async () => (await membership(bob, roomA, bob.userId)) === 'ban');
    // Bob's own server refuses his messages now, and A never shows one.
    const refused = await bob.send(roomA, 'after the ban');
    expect(refused.status).toBe(403);
    expect((await bob.call('POST', `/join/${enc(roomA)}?server_name=${enc(cluster.members[0]!.serverName)}`, {})).status).toBe(403);
    await alice.send(roomA, 'after banning bob');
    await aliceSync.until('her own message after the ban', () => aliceSync.bodies(roomA).includes('after banning bob'));
    expect(aliceSync.bodies(roomA)).not.toContain('after the ban');
  });

  it('a leave and a rejoin work', async () => {
    expect((await alice.call('POST', `/rooms/${enc(roomB)}/leave`, {})).status).toBe(200);
    await eventually("B holds Alice's leave", async () => (await membership(bob, roomB, alice.userId)) === 'leave');
    await bob.send(roomB, 'while alice was out');
    const rejoined = await alice.call('POST', `/join/${enc(roomB)}?server_name=${enc(cluster.members[1]!.serverName)}`, {});
    expect(rejoined.status, JSON.stringify(rejoined.json)).toBe(200);
    await eventually("B holds Alice's rejoin", async () => (await membership(bob, roomB, alice.userId)) === 'join');
    expect((await alice.send(roomB, 'back again')).status).toBe(200);
    expect((await bob.send(roomB, 'welcome back')).status).toBe(200);
    await bobSync.until("Alice's message after her rejoin", () => bobSync.bodies(roomB).includes('back again'));
    await aliceSync.until("Bob's message after her rejoin", () => aliceSync.bodies(roomB).includes('welcome back'));
  });

  it('a server stopped for a while receives what it missed after restart, with no duplicates in /sync', async () => {
    const a = cluster.members[0]!;
    await a.stop();
    const missed = Array.from({ length: 5 }, (_, i) => `missed ${i}`);
    for (const body of missed) expect((await bob.send(roomB, body)).status).toBe(200);
    expect((await bob.call('PUT', `/rooms/${enc(roomB)}/state/m.room.topic/`, { topic: 'changed while A was down' })).status).toBe(200);
    await a.start();
    // The client's address may change with the restart; its token and since token stay valid.
    alice = Object.assign(new ClusterClient(a.clientUrl), { token: alice.token, userId: alice.userId, deviceId: alice.deviceId });
    aliceSync.client = alice;
    await aliceSync.until('every message sent while her server was down', () => missed.every((body) => aliceSync.bodies(roomB).includes(body)), 180_000);
    await eventually('A holds the topic changed while it was down', async () => (await state(alice, roomB, 'm.room.topic'))?.['topic'] === 'changed while A was down');
    const seen = aliceSync.bodies(roomB).filter((body) => body.startsWith('missed '));
    expect(seen).toEqual(missed);
    expect(aliceSync.duplicates).toEqual([]);
    expect(bobSync.duplicates).toEqual([]);
  });
});
