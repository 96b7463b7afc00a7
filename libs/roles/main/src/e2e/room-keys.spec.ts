// Server-side key backup (/room_keys/*) through app.inject with real accounts; env.call
// validates every response against the v1.19 spec.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAccountsTestEnv, type AccountsTestEnv } from '../testing/accounts-test-env.ts';
import { isBetterRoomKey } from './room-key-backup.ts';

const V3 = '/_matrix/client/v3';
const ALGORITHM = 'm.megolm_backup.v1.curve25519-aes-sha2';
const ROOM = '!room:test';
const OTHER_ROOM = '!other:test';
let env: AccountsTestEnv;

beforeAll(async () => {
  env = await openAccountsTestEnv();
}, 120_000);
afterAll(async () => env.close());

const key = (index: number, forwarded = 0, verified = false, data = 'x') => ({
  first_message_index: index,
  forwarded_count: forwarded,
  is_verified: verified,
  session_data: { ephemeral: 'e', ciphertext: data, mac: 'm' },
});

async function newUser(name: string): Promise<(method: string, path: string, body?: unknown) => ReturnType<AccountsTestEnv['call']>> {
  const { access_token: token } = await env.register(name);
  return (method, path, body) => env.call(method, `${V3}${path}`, { token, body });
}

describe('backup versions', () => {
  it('creates numbered versions, reads the latest or a given one, updates auth_data and deletes', async () => {
    const call = await newUser('vera');
    const none = await call('GET', '/room_keys/version');
    expect([none.status, none.body['errcode']]).toEqual([404, 'M_NOT_FOUND']);

    const first = await call('POST', '/room_keys/version', { algorithm: ALGORITHM, auth_data: { public_key: 'abc' } });
    expect(first.body).toEqual({ version: '1' });
    expect((await call('POST', '/room_keys/version', { algorithm: ALGORITHM, auth_data: { public_key: 'def' } })).body).toEqual({ version: '2' });
    expect((await call('GET', '/room_keys/version')).body).toEqual({ algorithm: ALGORITHM, auth_data: { public_key: 'def' }, count: 0, etag: '0', version: '2' });
    expect((await call('GET', '/room_keys/version/1')).body).toMatchObject({ version: '1', auth_data: { public_key: 'abc' } });

    expect((await call('PUT', '/room_keys/version/2', { algorithm: ALGORITHM, auth_data: { public_key: 'def', signatures: {} }, version: '2' })).body).toEqual({});
    expect((await call('GET', '/room_keys/version/2')).body['auth_data']).toEqual({ public_key: 'def', signatures: {} });
    const mismatch = await call('PUT', '/room_keys/version/2', { algorithm: ALGORITHM, auth_data: {}, version: '1' });
    expect([mismatch.status, mismatch.body['errcode']]).toEqual([400, 'M_INVALID_PARAM']);
    const algorithm = await call('PUT', '/room_keys/version/2', { algorithm: 'm.other', auth_data: {} });
    expect([algorithm.status, algorithm.body['errcode']]).toEqual([400, 'M_INVALID_PARAM']);
    expect((await call('PUT', '/room_keys/version/9', { algorithm: ALGORITHM, auth_data: {} })).status).toBe(404);

    expect((await call('DELETE', '/room_keys/version/2')).body).toEqual({});
    // Deleting again succeeds (the spec's rule); the latest is now version 1.
    expect((await call('DELETE', '/room_keys/version/2')).status).toBe(200);
    expect((await call('GET', '/room_keys/version')).body['version']).toBe('1');
    expect((await call('GET', '/room_keys/version/2')).status).toBe(404);
    // A deleted version's number is not reused.
    expect((await call('POST', '/room_keys/version', { algorithm: ALGORITHM, auth_data: {} })).body).toEqual({ version: '3' });
    for (const missing of ['/room_keys/version/7', '/room_keys/version/abc']) {
      const res = await call('GET', missing);
      expect([res.status, res.body['errcode']]).toEqual([404, 'M_NOT_FOUND']);
      expect((await call('DELETE', missing)).status).toBe(404);
    }
  });

  it('keeps versions per user and refuses malformed bodies', async () => {
    const one = await newUser('wren');
    const two = await newUser('xena');
    await one('POST', '/room_keys/version', { algorithm: ALGORITHM, auth_data: {} });
    expect((await two('GET', '/room_keys/version')).status).toBe(404);
    expect((await two('GET', '/room_keys/version/1')).status).toBe(404);
    for (const body of [{ auth_data: {} }, { algorithm: ALGORITHM }, { algorithm: ALGORITHM, auth_data: 5 }, { algorithm: 5, auth_data: {} }]) {
      const res = await one('POST', '/room_keys/version', body);
      expect([res.status, res.body['errcode']]).toEqual([400, 'M_BAD_JSON']);
    }
  });
});

describe('opaque backup data', () => {
  it('keeps auth_data and session_data given as strings, as Synapse does', async () => {
    const { access_token: token } = await env.register('opal');
    // Not spec-validated: the spec describes both as objects, and these answers echo strings.
    const inject = async (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) => {
      const res = await env.app.inject({ method, url: `${V3}${url}`, headers: { authorization: `Bearer ${token}` }, ...(payload === undefined ? {} : { payload: payload as object }) });
      return { status: res.statusCode, body: res.json() as Record<string, unknown> };
    };
    const created = await inject('POST', '/room_keys/version', { algorithm: 'm.megolm_backup.v1', auth_data: 'anopaquestring' });
    expect(created.status).toBe(200);
    expect((await inject('GET', '/room_keys/version')).body).toMatchObject({ algorithm: 'm.megolm_backup.v1', auth_data: 'anopaquestring' });
    const version = String(created.body['version']);
    const stored = await inject('PUT', `/room_keys/keys/${encodeURIComponent(ROOM)}/sess?version=${version}`, { first_message_index: 3, forwarded_count: 0, is_verified: false, session_data: 'opaque' });
    expect(stored.status).toBe(200);
    expect((await inject('GET', `/room_keys/keys/${encodeURIComponent(ROOM)}/sess?version=${version}`)).body).toMatchObject({ first_message_index: 3, session_data: 'opaque' });
  });
});

describe('backed-up keys', () => {
  it('stores keys at all three levels, with etag and count, and reads them back', async () => {
    const call = await newUser('yuri');
    expect((await call('PUT', `/room_keys/keys?version=1`, { rooms: {} })).status).toBe(404);
    await call('POST', '/room_keys/version', { algorithm: ALGORITHM, auth_data: {} });

    const all = await call('PUT', '/room_keys/keys?version=1', { rooms: { [ROOM]: { sessions: { s1: key(5), s2: key(0) } } } });
    expect(all.body).toEqual({ etag: '1', count: 2 });
    const room = await call('PUT', `/room_keys/keys/${encodeURIComponent(OTHER_ROOM)}?version=1`, { sessions: { s3: key(1) } });
    expect(room.body).toEqual({ etag: '2', count: 3 });
    const single = await call('PUT', `/room_keys/keys/${encodeURIComponent(OTHER_ROOM)}/s4?version=1`, key(2));
    expect(single.body).toEqual({ etag: '3', count: 4 });

    expect((await call('GET', '/room_keys/keys?version=1')).body).toEqual({
      rooms: { [ROOM]: { sessions: { s1: key(5), s2: key(0) } }, [OTHER_ROOM]: { sessions: { s3: key(1), s4: key(2) } } },
    });
    expect((await call('GET', `/room_keys/keys/${encodeURIComponent(ROOM)}?version=1`)).body).toEqual({ sessions: { s1: key(5), s2: key(0) } });
    expect((await call('GET', `/room_keys/keys/${encodeURIComponent('!empty:test')}?version=1`)).body).toEqual({ sessions: {} });
    expect((await call('GET', `/room_keys/keys/${encodeURIComponent(ROOM)}/s1?version=1`)).body).toEqual(key(5));
    const missing = await call('GET', `/room_keys/keys/${encodeURIComponent(ROOM)}/nope?version=1`);
    expect([missing.status, missing.body['errcode']]).toEqual([404, 'M_NOT_FOUND']);
    expect((await call('GET', '/room_keys/version')).body).toMatchObject({ count: 4, etag: '3' });
  });

  it('replaces a stored session only with a better copy, and bumps the etag only then', async () => {
    const call = await newUser('zara');
    await call('POST', '/room_keys/version', { algorithm: ALGORITHM, auth_data: {} });
    const put = (data: ReturnType<typeof key>) => call('PUT', `/room_keys/keys/${encodeURIComponent(ROOM)}/s?version=1`, data);
    const stored = async () => (await call('GET', `/room_keys/keys/${encodeURIComponent(ROOM)}/s?version=1`)).body;
    expect((await put(key(5, 2, false, 'a'))).body).toEqual({ etag: '1', count: 1 });
    expect((await put(key(6, 0, false, 'b'))).body).toEqual({ etag: '1', count: 1 });
    expect(await stored()).toEqual(key(5, 2, false, 'a'));
    expect((await put(key(5, 1, false, 'c'))).body).toEqual({ etag: '2', count: 1 });
    expect((await put(key(3, 9, false, 'd'))).body).toEqual({ etag: '3', count: 1 });
    expect((await put(key(9, 9, true, 'e'))).body).toEqual({ etag: '4', count: 1 });
    // A verified copy is not replaced by an unverified one, however early it starts.
    expect((await put(key(0, 0, false, 'f'))).body).toEqual({ etag: '4', count: 1 });
    expect(await stored()).toEqual(key(9, 9, true, 'e'));
  });

  it('writes only to the current version: 403 M_WRONG_ROOM_KEYS_VERSION naming it, 404 for unknown versions', async () => {
    const call = await newUser('abe');
    await call('POST', '/room_keys/version', { algorithm: ALGORITHM, auth_data: {} });
    await call('PUT', '/room_keys/keys?version=1', { rooms: { [ROOM]: { sessions: { old: key(0) } } } });
    await call('POST', '/room_keys/version', { algorithm: ALGORITHM, auth_data: {} });
    const stale = await call('PUT', '/room_keys/keys?version=1', { rooms: { [ROOM]: { sessions: { s: key(0) } } } });
    expect([stale.status, stale.body['errcode'], stale.body['current_version']]).toEqual([403, 'M_WRONG_ROOM_KEYS_VERSION', '2']);
    for (const version of ['7', 'abc']) {
      const res = await call('PUT', `/room_keys/keys?version=${version}`, { rooms: {} });
      expect([res.status, res.body['errcode']]).toEqual([404, 'M_NOT_FOUND']);
    }
    // An older version can still be read (and emptied), as in Synapse.
    expect((await call('GET', '/room_keys/keys?version=1')).body).toEqual({ rooms: { [ROOM]: { sessions: { old: key(0) } } } });
    expect((await call('GET', '/room_keys/keys?version=7')).status).toBe(404);
    const noVersion = await call('GET', '/room_keys/keys');
    expect([noVersion.status, noVersion.body['errcode']]).toEqual([400, 'M_MISSING_PARAM']);
  });

  it('deletes a session, a room or everything, reporting etag and count', async () => {
    const call = await newUser('bea');
    await call('POST', '/room_keys/version', { algorithm: ALGORITHM, auth_data: {} });
    await call('PUT', '/room_keys/keys?version=1', { rooms: { [ROOM]: { sessions: { a: key(0), b: key(0) } }, [OTHER_ROOM]: { sessions: { c: key(0) } } } });
    expect((await call('DELETE', `/room_keys/keys/${encodeURIComponent(ROOM)}/a?version=1`)).body).toEqual({ etag: '2', count: 2 });
    expect((await call('DELETE', `/room_keys/keys/${encodeURIComponent(OTHER_ROOM)}?version=1`)).body).toEqual({ etag: '3', count: 1 });
    expect((await call('DELETE', '/room_keys/keys?version=1')).body).toEqual({ etag: '4', count: 0 });
    expect((await call('GET', '/room_keys/keys?version=1')).body).toEqual({ rooms: {} });
    expect((await call('DELETE', '/room_keys/keys?version=5')).status).toBe(404);
    // Deleting a version deletes its keys.
    await call('PUT', '/room_keys/keys?version=1', { rooms: { [ROOM]: { sessions: { a: key(0) } } } });
    await call('DELETE', '/room_keys/version/1');
    expect((await call('GET', '/room_keys/keys?version=1')).status).toBe(404);
  });

  it('refuses malformed key data and room IDs', async () => {
    const call = await newUser('cal');
    await call('POST', '/room_keys/version', { algorithm: ALGORITHM, auth_data: {} });
    const bad = [
      ['/room_keys/keys?version=1', { rooms: { [ROOM]: { sessions: { s: { ...key(0), is_verified: 'yes' } } } } }],
      ['/room_keys/keys?version=1', { rooms: { [ROOM]: { sessions: { s: { ...key(0), first_message_index: -1 } } } } }],
      ['/room_keys/keys?version=1', { rooms: { [ROOM]: {} } }],
      [`/room_keys/keys/${encodeURIComponent(ROOM)}?version=1`, { sessions: { s: { ...key(0), session_data: [1] } } }],
      [`/room_keys/keys/${encodeURIComponent(ROOM)}/s?version=1`, { first_message_index: 0 }],
    ] as const;
    for (const [path, body] of bad) {
      const res = await call('PUT', path, body);
      expect([res.status, res.body['errcode']], JSON.stringify(body)).toEqual([400, 'M_BAD_JSON']);
    }
    expect((await call('PUT', '/room_keys/keys?version=1', { rooms: { '': { sessions: {} } } })).body['errcode']).toBe('M_INVALID_PARAM');
    expect((await call('GET', '/room_keys/version')).body).toMatchObject({ count: 0, etag: '0' });
    // Room IDs are opaque to the backup (never resolved): any non-empty string is kept, as Synapse does.
    expect((await call('PUT', '/room_keys/keys/!abcd/s?version=1', key(0))).status).toBe(200);
    expect((await call('GET', '/room_keys/keys/!abcd/s?version=1')).body).toMatchObject({ first_message_index: 0 });
  });
});

describe('isBetterRoomKey', () => {
  const k = (isVerified: boolean, firstMessageIndex: number, forwardedCount: number) => ({ isVerified, firstMessageIndex, forwardedCount });
  it('orders by verification, then first message index, then forwards', () => {
    expect(isBetterRoomKey(k(true, 9, 9), k(false, 0, 0))).toBe(true);
    expect(isBetterRoomKey(k(false, 0, 0), k(true, 9, 9))).toBe(false);
    expect(isBetterRoomKey(k(false, 1, 9), k(false, 2, 0))).toBe(true);
    expect(isBetterRoomKey(k(false, 2, 0), k(false, 1, 9))).toBe(false);
    expect(isBetterRoomKey(k(false, 1, 1), k(false, 1, 2))).toBe(true);
    expect(isBetterRoomKey(k(false, 1, 2), k(false, 1, 2))).toBe(false);
  });
});
