// Device lifecycle as device-list changes: every device a request creates, renames or deletes
// is one row of the device_lists stream (announced by its writer); requests that change no
// device write none. Responses are validated against the v1.19 spec by env.call.
import { fetchDeviceListChangesSince, type DeviceListRow } from '@homeserver/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAccountsTestEnv, type AccountsTestEnv } from '../testing/accounts-test-env.ts';

const V3 = '/_matrix/client/v3';
let env: AccountsTestEnv;
let seen = 0;

beforeAll(async () => {
  env = await openAccountsTestEnv();
}, 120_000);
afterAll(async () => env.close());

/** The device_lists rows written since the last call, and checks the writer announced them. */
async function newChanges(): Promise<DeviceListRow[]> {
  const rows = await fetchDeviceListChangesSince(env.db, { writer: 'main', from: seen, to: Number.MAX_SAFE_INTEGER, limit: 1000 });
  if (rows.length > 0) seen = rows.at(-1)!.position;
  expect(env.deviceLists.position).toBeGreaterThanOrEqual(seen);
  return rows.map((r) => r.data);
}

const password = (user: string, pw: string) => ({ type: 'm.login.password', identifier: { type: 'm.id.user', user }, password: pw });

async function login(user: string, pw: string, deviceId?: string): Promise<{ access_token: string; device_id: string }> {
  const res = await env.call('POST', `${V3}/login`, { body: { ...password(user, pw), ...(deviceId ? { device_id: deviceId } : {}) } });
  expect(res.status).toBe(200);
  return res.body as { access_token: string; device_id: string };
}

describe('device-list changes of the device lifecycle', () => {
  it('records a device created by registration or login, but not a login reusing a device', async () => {
    await newChanges();
    const reg = await env.register('dana', 'pw-dana', { device_id: 'DREG' });
    expect(await newChanges()).toEqual([{ userId: '@dana:test', deviceId: 'DREG' }]);
    const fresh = await login('dana', 'pw-dana');
    expect(await newChanges()).toEqual([{ userId: '@dana:test', deviceId: fresh.device_id }]);
    await login('dana', 'pw-dana', reg.device_id);
    expect(await newChanges()).toEqual([]);
    await env.register('dino', 'pw', { inhibit_login: true });
    expect(await newChanges()).toEqual([]);
  });

  it('records a rename; a PUT without display_name keeps the name and records nothing', async () => {
    const { access_token: token } = await env.register('rita', 'pw-rita', { device_id: 'R1', initial_device_display_name: 'old' });
    await newChanges();
    expect((await env.call('PUT', `${V3}/devices/R1`, { token, body: { display_name: 'new' } })).status).toBe(200);
    expect(await newChanges()).toEqual([{ userId: '@rita:test', deviceId: 'R1' }]);
    expect((await env.call('PUT', `${V3}/devices/R1`, { token, body: {} })).status).toBe(200);
    expect(await newChanges()).toEqual([]);
    expect((await env.call('GET', `${V3}/devices/R1`, { token })).body['display_name']).toBe('new');
    const missing = await env.call('PUT', `${V3}/devices/NOPE`, { token, body: { display_name: 'x' } });
    expect([missing.status, missing.body['errcode']]).toEqual([404, 'M_NOT_FOUND']);
    expect((await env.call('PUT', `${V3}/devices/NOPE`, { token, body: {} })).status).toBe(404);
    expect(await newChanges()).toEqual([]);
  });

  it('records devices deleted one by one and in bulk, only those that existed', async () => {
    const { access_token: token } = await env.register('del', 'pw-del', { device_id: 'KEEP' });
    await login('del', 'pw-del', 'X1');
    await login('del', 'pw-del', 'X2');
    await login('del', 'pw-del', 'X3');
    await newChanges();
    const challenge = await env.call('DELETE', `${V3}/devices/X1`, { token, body: {} });
    expect(challenge.status).toBe(401);
    expect(await newChanges()).toEqual([]);
    const one = await env.call('DELETE', `${V3}/devices/X1`, { token, body: { auth: password('del', 'pw-del') } });
    expect(one.status).toBe(200);
    expect(await newChanges()).toEqual([{ userId: '@del:test', deviceId: 'X1' }]);
    const bulk = await env.call('POST', `${V3}/delete_devices`, { token, body: { devices: ['X2', 'GONE', 'X3'], auth: password('del', 'pw-del') } });
    expect(bulk.status).toBe(200);
    expect(await newChanges()).toEqual([
      { userId: '@del:test', deviceId: 'X2' },
      { userId: '@del:test', deviceId: 'X3' },
    ]);
  });

  it('records the device ended by /logout and every device ended by /logout/all', async () => {
    const first = await env.register('lou', 'pw-lou', { device_id: 'L1' });
    const second = await login('lou', 'pw-lou', 'L2');
    await login('lou', 'pw-lou', 'L3');
    await newChanges();
    expect((await env.call('POST', `${V3}/logout`, { token: first.access_token })).status).toBe(200);
    expect(await newChanges()).toEqual([{ userId: '@lou:test', deviceId: 'L1' }]);
    expect((await env.call('POST', `${V3}/logout/all`, { token: second.access_token })).status).toBe(200);
    expect((await newChanges()).map((r) => r.deviceId).sort()).toEqual(['L2', 'L3']);
  });

  it('records the other devices a password change logs out, and every device of a deactivated account', async () => {
    const pat = await env.register('pat', 'pw-pat', { device_id: 'P1' });
    await login('pat', 'pw-pat', 'P2');
    await newChanges();
    const changed = await env.call('POST', `${V3}/account/password`, { token: pat.access_token, body: { new_password: 'pw-pat-2', auth: password('pat', 'pw-pat') } });
    expect(changed.status).toBe(200);
    expect(await newChanges()).toEqual([{ userId: '@pat:test', deviceId: 'P2' }]);
    const kept = await env.call('POST', `${V3}/account/password`, {
      token: pat.access_token,
      body: { new_password: 'pw-pat-3', logout_devices: false, auth: password('pat', 'pw-pat-2') },
    });
    expect(kept.status).toBe(200);
    expect(await newChanges()).toEqual([]);
    await login('pat', 'pw-pat-3', 'P3');
    await newChanges();
    const gone = await env.call('POST', `${V3}/account/deactivate`, { token: pat.access_token, body: { auth: password('pat', 'pw-pat-3') } });
    expect(gone.status).toBe(200);
    expect((await newChanges()).map((r) => r.deviceId).sort()).toEqual(['P1', 'P3']);
  });
});
