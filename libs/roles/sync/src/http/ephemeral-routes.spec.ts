import { countOneTimeKeys, toDeviceForDevice } from '@homeserver/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, fakeEvent, fakeJoin, openTestEnv, type TestEnv } from '../testing/test-app.ts';

const ROOM = '!room:test';
const ALICE = '@alice:test';
const BOB = '@bob:test';
const EVE = '@eve:test';
let env: TestEnv;

beforeAll(async () => {
  env = await openTestEnv();
  await fakeJoin(env.db, ROOM, ALICE);
  await fakeJoin(env.db, ROOM, BOB);
  await fakeEvent(env.db, ROOM, '$e1:test', 1);
  await fakeEvent(env.db, ROOM, '$e2:test', 2);
});
afterAll(async () => {
  expect(env.violations).toEqual([]);
  await env.close();
});

describe('typing', () => {
  it('records the room typing set for a member and clears it on stop', async () => {
    const put = (typing: boolean) =>
      env.app.inject({ method: 'PUT', url: `/_matrix/client/v3/rooms/${encodeURIComponent(ROOM)}/typing/${encodeURIComponent(ALICE)}`, headers: bearer(ALICE), payload: { typing, timeout: 10_000 } });
    expect((await put(true)).statusCode).toBe(200);
    expect(env.typing.typingIn(ROOM)).toEqual([ALICE]);
    const { rows } = await env.db.query<{ user_ids: string[] }>('SELECT user_ids FROM typing_stream ORDER BY position DESC LIMIT 1');
    expect(rows[0]?.user_ids).toEqual([ALICE]);
    expect((await put(false)).statusCode).toBe(200);
    expect(env.typing.typingIn(ROOM)).toEqual([]);
  });

  it('expires typing after the timeout', async () => {
    await env.typing.setTyping(ROOM, BOB, { typing: true, timeoutMs: 30 });
    expect(env.typing.typingIn(ROOM)).toEqual([BOB]);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(env.typing.typingIn(ROOM)).toEqual([]);
  });

  it('refuses non-members, other users and bad IDs', async () => {
    const eve = await env.app.inject({ method: 'PUT', url: `/_matrix/client/v3/rooms/${encodeURIComponent(ROOM)}/typing/${encodeURIComponent(EVE)}`, headers: bearer(EVE), payload: { typing: true } });
    expect(eve.statusCode).toBe(403);
    expect(eve.json().errcode).toBe('M_FORBIDDEN');
    const other = await env.app.inject({ method: 'PUT', url: `/_matrix/client/v3/rooms/${encodeURIComponent(ROOM)}/typing/${encodeURIComponent(BOB)}`, headers: bearer(ALICE), payload: { typing: true } });
    expect(other.statusCode).toBe(403);
    const bad = await env.app.inject({ method: 'PUT', url: `/_matrix/client/v3/rooms/not-a-room/typing/${encodeURIComponent(ALICE)}`, headers: bearer(ALICE), payload: { typing: true } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errcode).toBe('M_INVALID_PARAM');
    const body = await env.app.inject({ method: 'PUT', url: `/_matrix/client/r0/rooms/${encodeURIComponent(ROOM)}/typing/${encodeURIComponent(ALICE)}`, headers: bearer(ALICE), payload: { typing: 'yes' } });
    expect(body.statusCode).toBe(400);
    expect(body.json().errcode).toBe('M_BAD_JSON');
  });
});

describe('receipts and read markers', () => {
  const receipt = (type: string, eventId: string, user = ALICE, payload: object = {}) =>
    env.app.inject({ method: 'POST', url: `/_matrix/client/v3/rooms/${encodeURIComponent(ROOM)}/receipt/${type}/${encodeURIComponent(eventId)}`, headers: bearer(user), payload });

  it('stores public, private and threaded receipts and never moves them backwards', async () => {
    expect((await receipt('m.read', '$e2:test')).statusCode).toBe(200);
    expect((await receipt('m.read', '$e1:test')).statusCode).toBe(200);
    expect((await receipt('m.read.private', '$e1:test', BOB)).statusCode).toBe(200);
    expect((await receipt('m.read', '$e1:test', BOB, { thread_id: '$thread' })).statusCode).toBe(200);
    const { rows } = await env.db.query<{ user_id: string; receipt_type: string; thread_id: string; event_id: string }>(
      'SELECT user_id, receipt_type, thread_id, event_id FROM receipts ORDER BY user_id, receipt_type, thread_id',
    );
    expect(rows).toEqual([
      { user_id: ALICE, receipt_type: 'm.read', thread_id: '', event_id: '$e2:test' },
      { user_id: BOB, receipt_type: 'm.read', thread_id: '$thread', event_id: '$e1:test' },
      { user_id: BOB, receipt_type: 'm.read.private', thread_id: '', event_id: '$e1:test' },
    ]);
  });

  it('rejects unknown receipt types, unknown events and non-members', async () => {
    expect((await receipt('m.nope', '$e1:test')).json().errcode).toBe('M_INVALID_PARAM');
    expect((await receipt('m.read', '$missing:test')).statusCode).toBe(404);
    expect((await receipt('m.read', '$e1:test', EVE)).statusCode).toBe(403);
  });

  it('stores m.fully_read as room account data and m.read as a receipt', async () => {
    const res = await env.app.inject({
      method: 'POST',
      url: `/_matrix/client/v3/rooms/${encodeURIComponent(ROOM)}/read_markers`,
      headers: bearer(BOB),
      payload: { 'm.fully_read': '$e2:test', 'm.read': '$e2:test' },
    });
    expect(res.statusCode).toBe(200);
    expect(env.roomAccountData.data.get(`${BOB} ${ROOM} m.fully_read`)).toEqual({ event_id: '$e2:test' });
    const { rows } = await env.db.query("SELECT event_id FROM receipts WHERE user_id = $1 AND receipt_type = 'm.read' AND thread_id = ''", [BOB]);
    expect(rows).toEqual([{ event_id: '$e2:test' }]);
  });
});

describe('presence', () => {
  it('sets and reads presence', async () => {
    const url = `/_matrix/client/v3/presence/${encodeURIComponent(ALICE)}/status`;
    expect((await env.app.inject({ method: 'PUT', url, headers: bearer(ALICE), payload: { presence: 'online', status_msg: 'hi' } })).statusCode).toBe(200);
    const res = await env.app.inject({ method: 'GET', url, headers: bearer(BOB) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ presence: 'online', status_msg: 'hi', currently_active: true });
    expect((await env.app.inject({ method: 'PUT', url, headers: bearer(BOB), payload: { presence: 'online' } })).statusCode).toBe(403);
    expect((await env.app.inject({ method: 'PUT', url, headers: bearer(ALICE), payload: { presence: 'dancing' } })).json().errcode).toBe('M_BAD_JSON');
  });
});

describe('to-device', () => {
  it('queues one message per device and ignores a repeated transaction', async () => {
    const send = () =>
      env.app.inject({
        method: 'PUT',
        url: '/_matrix/client/v3/sendToDevice/m.test/txn1',
        headers: bearer(ALICE, 'ADEV'),
        payload: { messages: { [BOB]: { BDEV: { hello: 'bob' } } } },
      });
    expect((await send()).statusCode).toBe(200);
    expect((await send()).statusCode).toBe(200);
    const inbox = await toDeviceForDevice(env.db, BOB, 'BDEV', { ceiling: Number.MAX_SAFE_INTEGER, limit: 10 });
    expect(inbox.map((m) => ({ sender: m.sender, type: m.type, content: m.content }))).toEqual([{ sender: ALICE, type: 'm.test', content: { hello: 'bob' } }]);
  });

  it("keeps '*' for a remote user's devices: their server expands it", async () => {
    const sent = await env.app.inject({
      method: 'PUT',
      url: '/_matrix/client/v3/sendToDevice/m.test/txn-remote',
      headers: bearer(ALICE, 'ADEV'),
      payload: { messages: { '@carol:remote.test': { '*': { hello: 'carol' } } } },
    });
    expect(sent.statusCode).toBe(200);
    const inbox = await toDeviceForDevice(env.db, '@carol:remote.test', '*', { ceiling: Number.MAX_SAFE_INTEGER, limit: 10 });
    expect(inbox.map((m) => m.content)).toEqual([{ hello: 'carol' }]);
  });
});

describe('keys', () => {
  const sig = { [ALICE]: { 'ed25519:ADEV': 'sig' } };
  const deviceKeys = { user_id: ALICE, device_id: 'ADEV', algorithms: ['m.olm.v1.curve25519-aes-sha2'], keys: { 'curve25519:ADEV': 'abc' }, signatures: {} };

  it('uploads device and one-time keys, counts them, answers queries and claims', async () => {
    const up = await env.app.inject({
      method: 'POST',
      url: '/_matrix/client/v3/keys/upload',
      headers: bearer(ALICE, 'ADEV'),
      payload: { device_keys: deviceKeys, one_time_keys: { 'signed_curve25519:K1': { key: 'k1', signatures: sig }, 'signed_curve25519:K2': { key: 'k2', signatures: sig } }, fallback_keys: { 'signed_curve25519:F1': { key: 'f', fallback: true, signatures: sig } } },
    });
    expect(up.statusCode).toBe(200);
    expect(up.json()).toEqual({ one_time_key_counts: { signed_curve25519: 2 } });
    const { rows } = await env.db.query('SELECT user_id, device_id FROM device_list_changes');
    expect(rows).toEqual([{ user_id: ALICE, device_id: 'ADEV' }]);

    const query = await env.app.inject({ method: 'POST', url: '/_matrix/client/v3/keys/query', headers: bearer(BOB), payload: { device_keys: { [ALICE]: [] } } });
    // The cross-signing maps are always present, empty when no one queried has keys (as Synapse).
    expect(query.json()).toEqual({ device_keys: { [ALICE]: { ADEV: { ...deviceKeys, unsigned: {} } } }, master_keys: {}, self_signing_keys: {}, user_signing_keys: {}, failures: {} });

    const claim = () => env.app.inject({ method: 'POST', url: '/_matrix/client/v3/keys/claim', headers: bearer(BOB), payload: { one_time_keys: { [ALICE]: { ADEV: 'signed_curve25519' } } } });
    expect((await claim()).json().one_time_keys[ALICE].ADEV).toEqual({ 'signed_curve25519:K1': { key: 'k1', signatures: sig } });
    await claim();
    expect(await countOneTimeKeys(env.db, ALICE, 'ADEV')).toEqual({});
    expect((await claim()).json().one_time_keys[ALICE].ADEV).toEqual({ 'signed_curve25519:F1': { key: 'f', fallback: true, signatures: sig } });
  });

  it('refuses device keys of another device', async () => {
    const res = await env.app.inject({ method: 'POST', url: '/_matrix/client/v3/keys/upload', headers: bearer(ALICE, 'OTHER'), payload: { device_keys: deviceKeys } });
    expect(res.statusCode).toBe(400);
    expect(res.json().errcode).toBe('M_INVALID_PARAM');
  });

  it('refuses device keys without algorithms, keys or signatures (400 M_BAD_JSON, as Synapse)', async () => {
    const { algorithms: _a, keys: _k, signatures: _s, ...bare } = deviceKeys;
    for (const device_keys of [bare, { ...deviceKeys, algorithms: 'x' }, { ...deviceKeys, keys: { a: 1 } }, { ...deviceKeys, signatures: { [ALICE]: 'x' } }]) {
      const res = await env.app.inject({ method: 'POST', url: '/_matrix/client/v3/keys/upload', headers: bearer(ALICE, 'ADEV'), payload: { device_keys } });
      expect(res.statusCode, JSON.stringify(device_keys)).toBe(400);
      expect(res.json().errcode).toBe('M_BAD_JSON');
    }
  });
});
