// The remote device list cache: updates that continue the chain are applied as they come, a
// gap (or no cache) fetches the whole list, users who share no room with ours are not tracked,
// and every change is a device_lists row under the remote user's ID (what /sync reports).
import { ActorSystem } from '@homeserver/actors';
// Test-only composition of two roles: the changes are published by the device_lists writer.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { hostStreamWriters, type HostedStreamWriters } from '@homeserver/role-stream-writers';
import { deviceListWrites, remoteDeviceLists } from '@homeserver/services';
import { cachedRemoteDevices, getCrossSigningKeys, openDatabase, remoteDeviceListState, type Database } from '@homeserver/storage';
import { InProcessTransport } from '@homeserver/transport';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeJoin, logger } from '../testing/test-app.ts';
import { nextChainStep } from './device-list-chain.ts';
import { usersToRecheck } from './membership-consumer.ts';
import { RemoteDeviceList, remoteDeviceListActor } from './remote-device-list-actor.ts';
import { startStaleListRetry } from './stale-list-retry.ts';

const BOB = '@bob:remote.test';
const ROOM = '!shared:us.test';

let db: Database;
let transport: InProcessTransport;
let actors: ActorSystem;
let hosted: HostedStreamWriters;
/** What the user's server answers to /user/devices next; each fetch is counted. */
let remote: { answer: (userId?: string) => unknown; fetches: number };

function keysOf(deviceId: string, extra: Record<string, unknown> = {}) {
  return { user_id: BOB, device_id: deviceId, algorithms: ['m.olm.v1.curve25519-aes-sha2'], keys: { [`curve25519:${deviceId}`]: `k-${deviceId}` }, signatures: {}, ...extra };
}

function list(): RemoteDeviceList {
  return new RemoteDeviceList(BOB, {
    db,
    writer: deviceListWrites(db, actors),
    serverName: 'us.test',
    logger,
    fetchDevices: async () => {
      remote.fetches += 1;
      return remote.answer();
    },
  });
}

async function changedDevices(): Promise<string[]> {
  const { rows } = await db.query<{ device_id: string }>('SELECT device_id FROM device_list_changes WHERE user_id = $1 ORDER BY position', [BOB]);
  return rows.map((r) => r.device_id);
}

async function cachedIds(): Promise<string[] | undefined> {
  return (await cachedRemoteDevices(db, [BOB])).get(BOB)?.map((d) => d.deviceId);
}

beforeEach(async () => {
  db = await openDatabase({ kind: 'pglite' });
  transport = new InProcessTransport();
  actors = new ActorSystem({ instance: 'main' });
  hosted = await hostStreamWriters({ db, transport, actors, instanceName: 'main', streams: new Set(['device_lists'] as const), heartbeatMs: 200 });
  remote = { answer: () => ({ user_id: BOB, stream_id: 10, devices: [{ device_id: 'PHONE', keys: keysOf('PHONE') }] }), fetches: 0 };
});

afterEach(async () => {
  await actors.stop();
  await hosted.stop();
  await transport.close();
  await db.close();
});

describe('nextChainStep', () => {
  it('applies an update naming the cached stream_id, resyncs on a gap, ignores what the cache already covers', () => {
    const cached = { streamId: 10, resyncNeeded: false };
    expect(nextChainStep(cached, { streamId: 11, prevIds: [10] })).toBe('apply');
    expect(nextChainStep(cached, { streamId: 13, prevIds: [12] })).toBe('resync');
    expect(nextChainStep(cached, { streamId: 11, prevIds: [] })).toBe('resync');
    expect(nextChainStep(cached, { streamId: 10, prevIds: [9] })).toBe('ignore');
    expect(nextChainStep(undefined, { streamId: 1, prevIds: [] })).toBe('resync');
    expect(nextChainStep({ streamId: 10, resyncNeeded: true }, { streamId: 11, prevIds: [10] })).toBe('resync');
  });
});

describe('RemoteDeviceList', () => {
  it('ignores a user who shares no room with ours: nothing fetched, cached or announced', async () => {
    await fakeJoin(db, ROOM, BOB);
    await list().update({ deviceId: 'PHONE', streamId: 11, prevIds: [10], deleted: false, keys: keysOf('PHONE') });
    expect(remote.fetches).toBe(0);
    expect(await remoteDeviceListState(db, BOB)).toBeUndefined();
    expect(await changedDevices()).toEqual([]);
    expect(await list().refresh({ timeoutMs: 1000 })).toBe(false);
  });

  it('fetches the whole list on the first update, then applies a continuous chain without fetching', async () => {
    await fakeJoin(db, ROOM, BOB);
    await fakeJoin(db, ROOM, '@alice:us.test');
    await list().update({ deviceId: 'PHONE', streamId: 10, prevIds: [], deleted: false, keys: keysOf('PHONE') });
    expect(remote.fetches).toBe(1);
    expect(await remoteDeviceListState(db, BOB)).toEqual({ streamId: 10, resyncNeeded: false });
    expect(await cachedIds()).toEqual(['PHONE']);

    await list().update({ deviceId: 'LAPTOP', streamId: 11, prevIds: [10], deleted: false, displayName: 'Laptop', keys: keysOf('LAPTOP') });
    await list().update({ deviceId: 'PHONE', streamId: 12, prevIds: [11], deleted: true });
    expect(remote.fetches).toBe(1);
    const cached = (await cachedRemoteDevices(db, [BOB])).get(BOB);
    expect(cached).toEqual([{ deviceId: 'LAPTOP', displayName: 'Laptop', keys: keysOf('LAPTOP') }]);
    expect(await remoteDeviceListState(db, BOB)).toEqual({ streamId: 12, resyncNeeded: false });
    // A re-sent update the cache already covers changes nothing.
    await list().update({ deviceId: 'PHONE', streamId: 11, prevIds: [10], deleted: false, keys: keysOf('PHONE') });
    expect(await cachedIds()).toEqual(['LAPTOP']);
    expect(await changedDevices()).toEqual(['PHONE', 'LAPTOP', 'PHONE']);
  });

  it('resyncs on a gap in the chain, and reports the devices that changed', async () => {
    await fakeJoin(db, ROOM, BOB);
    await fakeJoin(db, ROOM, '@alice:us.test');
    await list().update({ deviceId: 'PHONE', streamId: 10, prevIds: [], deleted: false });
    remote.answer = () => ({ user_id: BOB, stream_id: 15, devices: [{ device_id: 'PHONE', keys: keysOf('PHONE') }, { device_id: 'TABLET', keys: keysOf('TABLET') }] });
    // 13 names 12, which never came: 11 and 12 were lost.
    await list().update({ deviceId: 'TABLET', streamId: 13, prevIds: [12], deleted: false, keys: keysOf('TABLET') });
    expect(remote.fetches).toBe(2);
    expect(await cachedIds()).toEqual(['PHONE', 'TABLET']);
    expect(await remoteDeviceListState(db, BOB)).toEqual({ streamId: 15, resyncNeeded: false });
    expect(await changedDevices()).toEqual(['PHONE', 'TABLET']);
  });

  it('keeps a list whose resync failed marked stale until a refresh succeeds', async () => {
    await fakeJoin(db, ROOM, BOB);
    await fakeJoin(db, ROOM, '@alice:us.test');
    await list().update({ deviceId: 'PHONE', streamId: 10, prevIds: [], deleted: false });
    remote.answer = () => {
      throw new Error('remote.test is down');
    };
    await list().update({ deviceId: 'TABLET', streamId: 13, prevIds: [12], deleted: false });
    expect(await remoteDeviceListState(db, BOB)).toEqual({ streamId: 10, resyncNeeded: true });
    // A stale list is not served from the cache.
    expect(await cachedIds()).toBeUndefined();
    expect(await list().refresh({ timeoutMs: 1000 })).toBe(false);
    remote.answer = () => ({ user_id: BOB, stream_id: 13, devices: [{ device_id: 'TABLET', keys: keysOf('TABLET') }] });
    expect(await list().refresh({ timeoutMs: 1000 })).toBe(true);
    expect(await cachedIds()).toEqual(['TABLET']);
    // Current now: no further fetch.
    expect(await list().refresh({ timeoutMs: 1000 })).toBe(true);
    expect(remote.fetches).toBe(4);
  });

  it('drops keys that name another user or device, and stores master keys from a resync and a signing key update', async () => {
    await fakeJoin(db, ROOM, BOB);
    await fakeJoin(db, ROOM, '@alice:us.test');
    const master = { user_id: BOB, usage: ['master'], keys: { 'ed25519:M1': 'M1' } };
    remote.answer = () => ({ user_id: BOB, stream_id: 3, devices: [{ device_id: 'PHONE', keys: keysOf('OTHER') }], master_key: master });
    expect(await list().refresh({ timeoutMs: 1000 })).toBe(true);
    expect((await cachedRemoteDevices(db, [BOB])).get(BOB)).toEqual([{ deviceId: 'PHONE' }]);
    expect((await getCrossSigningKeys(db, [BOB])).get(BOB)?.master?.keyId).toBe('M1');
    const newMaster = { user_id: BOB, usage: ['master'], keys: { 'ed25519:M2': 'M2' } };
    await list().signingKeys({ masterKey: newMaster, selfSigningKey: { user_id: '@mallory:remote.test', usage: ['self_signing'], keys: { 'ed25519:S': 'S' } } });
    const stored = (await getCrossSigningKeys(db, [BOB])).get(BOB);
    expect(stored?.master?.keyId).toBe('M2');
    expect(stored?.self_signing).toBeUndefined();
    expect(await changedDevices()).toEqual(['PHONE', 'M1', 'M2']);
    // An update continuing the chain is held to the same rule.
    await list().update({ deviceId: 'TABLET', streamId: 4, prevIds: [3], deleted: false, keys: keysOf('PHONE') });
    expect((await cachedRemoteDevices(db, [BOB])).get(BOB)).toEqual([{ deviceId: 'PHONE' }, { deviceId: 'TABLET' }]);
  });

  it('keeps keys that claim no other user or device as their server sent them (their checks are the clients\', as Synapse)', async () => {
    await fakeJoin(db, ROOM, BOB);
    await fakeJoin(db, ROOM, '@alice:us.test');
    // Sytest's server answers devices whose keys are {device_keys: {}}: Synapse serves them as they are.
    remote.answer = () => ({ user_id: BOB, stream_id: 1, devices: [{ device_id: 'D1', keys: { device_keys: {} } }, { device_id: 'D2', keys: {} }] });
    expect(await list().refresh({ timeoutMs: 1000 })).toBe(true);
    expect((await cachedRemoteDevices(db, [BOB])).get(BOB)).toEqual([{ deviceId: 'D1', keys: { device_keys: {} } }, { deviceId: 'D2' }]);
    await list().update({ deviceId: 'D3', streamId: 2, prevIds: [1], deleted: false, keys: { device_keys: {} } });
    expect((await cachedRemoteDevices(db, [BOB])).get(BOB)?.map((d) => d.deviceId)).toEqual(['D1', 'D2', 'D3']);
    expect((await cachedRemoteDevices(db, [BOB])).get(BOB)?.[2]?.keys).toEqual({ device_keys: {} });
  });

  it('drops the cache once a leave leaves the user sharing no room with ours', async () => {
    await fakeJoin(db, ROOM, BOB);
    await fakeJoin(db, ROOM, '@alice:us.test');
    expect(await list().refresh({ timeoutMs: 1000 })).toBe(true);
    await db.query("UPDATE current_state_events SET membership = 'leave' WHERE state_key = '@alice:us.test'");
    const leave = (stateKey: string, membership = 'leave') => ({ writer: 'main', position: 1, data: { eventId: '$l', roomId: ROOM, type: 'm.room.member', stateKey, sender: stateKey, membership } });
    // Our user left: the room's cached remote members are looked at; a remote user's own leave names them.
    expect([...(await usersToRecheck(db, 'us.test', [leave('@alice:us.test')]))]).toEqual([BOB]);
    expect([...(await usersToRecheck(db, 'us.test', [leave(BOB, 'ban'), leave('@carol:remote.test', 'join')]))]).toEqual([BOB]);
    await list().recheck();
    expect(await remoteDeviceListState(db, BOB)).toBeUndefined();
    expect(await cachedIds()).toBeUndefined();
  });
});

describe('stale list retry', () => {
  const CAROL = '@carol:remote.test';

  async function until(condition: () => Promise<boolean>): Promise<void> {
    for (let i = 0; i < 1000 && !(await condition()); i++) await new Promise((r) => setTimeout(r, 10));
  }

  it('resyncs lists left stale once their server answers again, without a client asking, every stale user in turn', async () => {
    actors.host(remoteDeviceListActor({ db, writer: deviceListWrites(db, actors), serverName: 'us.test', logger, fetchDevices: async (userId) => remote.answer(userId) }));
    const lists = remoteDeviceLists(actors);
    for (const user of [BOB, CAROL]) await fakeJoin(db, ROOM, user);
    await fakeJoin(db, ROOM, '@alice:us.test');
    let down = false;
    remote.answer = (userId?: unknown) => {
      if (down) throw new Error('remote.test is down');
      return { user_id: userId, stream_id: 20, devices: [{ device_id: 'PHONE', keys: { ...keysOf('PHONE'), user_id: userId } }] };
    };
    // Cached at stream_id 20, then an update after a gap while their server is down.
    for (const user of [BOB, CAROL]) expect(await lists.refresh(user, 1000)).toBe(true);
    down = true;
    for (const user of [BOB, CAROL]) await lists.update(user, { deviceId: 'TABLET', streamId: 23, prevIds: [22], deleted: false });
    // The updates are told, not asked: their failed resyncs leave both marked stale.
    for (const user of [BOB, CAROL]) await until(async () => (await remoteDeviceListState(db, user))?.resyncNeeded === true);
    for (const user of [BOB, CAROL]) expect(await remoteDeviceListState(db, user)).toEqual({ streamId: 20, resyncNeeded: true });
    down = false;
    // One user per round: the second round must go on to the next stale user.
    const retry = startStaleListRetry({ db, lists, logger, intervalMs: 20, batch: 1, timeoutMs: 1000 });
    try {
      for (const user of [BOB, CAROL]) await until(async () => (await remoteDeviceListState(db, user))?.resyncNeeded === false);
    } finally {
      await retry.stop();
    }
    for (const user of [BOB, CAROL]) expect(await remoteDeviceListState(db, user)).toEqual({ streamId: 20, resyncNeeded: false });
    expect((await cachedRemoteDevices(db, [CAROL])).get(CAROL)?.map((d) => d.deviceId)).toEqual(['PHONE']);
  });
});
