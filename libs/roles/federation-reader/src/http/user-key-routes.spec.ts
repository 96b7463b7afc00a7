// What other servers may ask of our users' encryption keys: device lists, device and
// cross-signing keys, one-time key claims; and the device-list EDUs they send us, as read.
import { addOneTimeKeys, insertUser, setCrossSigningKey, upsertDevice, upsertDeviceKeys } from '@homeserver/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE, openFedTestEnv, REMOTE, ROB, SERVER, type FedTestEnv } from '../testing/fed-test-env.ts';

let env: FedTestEnv;
const enc = encodeURIComponent;
const master = { user_id: ALICE, usage: ['master'], keys: { 'ed25519:MASTER': 'MASTER' } };
const phoneKeys = { user_id: ALICE, device_id: 'PHONE', algorithms: ['m.olm.v1.curve25519-aes-sha2'], keys: { 'curve25519:PHONE': 'c' }, signatures: {} };

beforeAll(async () => {
  env = await openFedTestEnv();
  await insertUser(env.db, { userId: ALICE, passwordHash: 'h', createdTs: 1 });
  await upsertDevice(env.db, { userId: ALICE, deviceId: 'PHONE', displayName: "Alice's phone", createdTs: 1 });
  await upsertDevice(env.db, { userId: ALICE, deviceId: 'NOKEYS', createdTs: 1 });
  await upsertDeviceKeys(env.db, ALICE, 'PHONE', phoneKeys);
  await addOneTimeKeys(env.db, ALICE, 'PHONE', [{ algorithm: 'signed_curve25519', keyId: 'AAAA', key: { key: 'otk' } }]);
  await setCrossSigningKey(env.db, { userId: ALICE, type: 'master', keyId: 'MASTER', json: master });
  await env.db.query("INSERT INTO device_list_changes (position, instance_name, user_id, device_id) VALUES (41, 'main', $1, 'PHONE'), (42, 'main', $1, 'MASTER')", [ALICE]);
});
afterAll(async () => {
  await env?.close();
});

describe('user keys over federation', () => {
  it("lists a local user's devices with their keys, the latest device change's stream_id and the master key, without display names", async () => {
    const answer = await env.call('GET', `/_matrix/federation/v1/user/devices/${enc(ALICE)}`);
    expect(answer).toEqual({
      status: 200,
      body: { user_id: ALICE, stream_id: 41, devices: [{ device_id: 'NOKEYS' }, { device_id: 'PHONE', keys: { ...phoneKeys, unsigned: {} } }], master_key: master },
    });
    expect((await env.call('GET', `/_matrix/federation/v1/user/devices/${enc(ROB)}`)).status).toBe(400);
    expect((await env.call('GET', '/_matrix/federation/v1/user/devices/not-a-user')).status).toBe(400);
    expect((await env.call('GET', `/_matrix/federation/v1/user/devices/${enc(ALICE)}`, undefined, { unsigned: true })).status).toBe(401);
  });

  it('answers /user/keys/query for local users only', async () => {
    const answer = await env.call('POST', '/_matrix/federation/v1/user/keys/query', { device_keys: { [ALICE]: [] } });
    expect(answer).toEqual({ status: 200, body: { device_keys: { [ALICE]: { PHONE: { ...phoneKeys, unsigned: {} } } }, master_keys: { [ALICE]: master }, self_signing_keys: {} } });
    const mixed = await env.call('POST', '/_matrix/federation/v1/user/keys/query', { device_keys: { [ALICE]: [], [ROB]: [] } });
    expect(mixed.status).toBe(400);
    expect((await env.call('POST', '/_matrix/federation/v1/user/keys/query', { device_keys: { [ALICE]: 'PHONE' } })).status).toBe(400);
  });

  it('hands out a one-time key once', async () => {
    const claim = { one_time_keys: { [ALICE]: { PHONE: 'signed_curve25519' } } };
    expect(await env.call('POST', '/_matrix/federation/v1/user/keys/claim', claim)).toEqual({
      status: 200,
      body: { one_time_keys: { [ALICE]: { PHONE: { 'signed_curve25519:AAAA': { key: 'otk' } } } } },
    });
    expect((await env.call('POST', '/_matrix/federation/v1/user/keys/claim', claim)).body).toEqual({ one_time_keys: {} });
    expect((await env.call('POST', '/_matrix/federation/v1/user/keys/claim', { one_time_keys: { [`@x:${REMOTE}`]: { D: 'signed_curve25519' } } })).status).toBe(400);
  });

  it('reads device list and signing key EDUs of the sending server only', async () => {
    const edus = [
      { edu_type: 'm.device_list_update', content: { user_id: ROB, device_id: 'D1', stream_id: 5, prev_id: [4], deleted: false, device_display_name: 'Rob', keys: { user_id: ROB } } },
      { edu_type: 'm.device_list_update', content: { user_id: ROB, device_id: 'D2', stream_id: 6 } },
      { edu_type: 'm.device_list_update', content: { user_id: ROB, device_id: 'D3', stream_id: 'x' } },
      { edu_type: 'm.device_list_update', content: { user_id: `@eve:${SERVER}`, device_id: 'D4', stream_id: 7 } },
      { edu_type: 'm.signing_key_update', content: { user_id: ROB, master_key: { usage: ['master'] } } },
    ];
    expect((await env.call('PUT', '/_matrix/federation/v1/send/dl1', { origin: REMOTE, origin_server_ts: 1, pdus: [], edus })).status).toBe(200);
    expect(env.edus.deviceLists).toEqual([
      { userId: ROB, deviceId: 'D1', streamId: 5, prevIds: [4], deleted: false, displayName: 'Rob', keys: { user_id: ROB } },
      { userId: ROB, deviceId: 'D2', streamId: 6, prevIds: [], deleted: false },
    ]);
    expect(env.edus.signingKeys).toEqual([{ userId: ROB, masterKey: { usage: ['master'] } }]);
  });
});
