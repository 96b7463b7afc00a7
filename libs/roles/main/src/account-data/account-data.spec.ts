// Discovery, profile, account data, tags and filters through the HTTP API, spec-validated.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountDataForUser } from '@homeserver/storage';
import { openAccountsTestEnv, type AccountsTestEnv } from '../testing/accounts-test-env.ts';

const V3 = '/_matrix/client/v3';
let env: AccountsTestEnv;
let token: string;
beforeAll(async () => {
  env = await openAccountsTestEnv({ publicBaseUrl: 'https://hs.example' });
  token = (await env.register('ann', 'pw')).access_token;
  await env.register('ben', 'pw');
}, 120_000);
afterAll(async () => env.close());

describe('discovery', () => {
  it('answers versions, well-known and capabilities', async () => {
    expect((await env.call('GET', '/_matrix/client/versions')).body['versions']).toContain('v1.19');
    expect((await env.call('GET', '/.well-known/matrix/client')).body).toEqual({ 'm.homeserver': { base_url: 'https://hs.example' } });
    const caps = await env.call('GET', `${V3}/capabilities`, { token });
    expect(caps.body['capabilities']).toMatchObject({ 'm.room_versions': { default: '12' }, 'm.3pid_changes': { enabled: false } });
  });
});

describe('profile', () => {
  it('reads local profiles, writes only ones own and calls the rooms hook', async () => {
    expect((await env.call('GET', `${V3}/profile/@ann:test`)).body).toEqual({ displayname: 'ann' });
    // No avatar yet: 200 with nothing in it, as Synapse answers.
    expect(await env.call('GET', `${V3}/profile/@ann:test/avatar_url`)).toMatchObject({ status: 200, body: {} });
    expect((await env.call('PUT', `${V3}/profile/@ann:test/displayname`, { token, body: { displayname: 'Ann' } })).status).toBe(200);
    expect((await env.call('GET', `${V3}/profile/@ann:test/displayname`)).body).toEqual({ displayname: 'Ann' });
    expect(env.roomCalls).toContainEqual(['profile', '@ann:test', { displayname: 'Ann' }]);
    expect((await env.call('PUT', `${V3}/profile/@ann:test/avatar_url`, { token, body: { avatar_url: 'mxc://test/abc' } })).status).toBe(200);
    expect((await env.call('GET', `${V3}/profile/@ann:test/avatar_url`)).body).toEqual({ avatar_url: 'mxc://test/abc' });
    // Any string, as Synapse stores it (the spec says mxc://, clients and bridges set others).
    expect((await env.call('PUT', `${V3}/profile/@ann:test/avatar_url`, { token, body: { avatar_url: 'https://example.com/a.png' } })).status).toBe(200);
    expect((await env.call('GET', `${V3}/profile/@ann:test/avatar_url`)).body).toEqual({ avatar_url: 'https://example.com/a.png' });
    expect((await env.call('PUT', `${V3}/profile/@ben:test/displayname`, { token, body: { displayname: 'x' } })).status).toBe(403);
    expect((await env.call('GET', `${V3}/profile/@nobody:test`)).status).toBe(404);
    expect((await env.call('GET', `${V3}/profile/nobody`)).body['errcode']).toBe('M_INVALID_PARAM');
    expect((await env.call('PUT', `${V3}/profile/@ann:test/displayname`, { token, body: { displayname: 5 } })).body['errcode']).toBe('M_BAD_JSON');
  });
});

describe('account data and tags', () => {
  it('stores global and room data on the account_data stream', async () => {
    const put = await env.call('PUT', `${V3}/user/@ann:test/account_data/org.example`, { token, body: { a: 1 } });
    expect(put.status).toBe(200);
    expect((await env.call('GET', `${V3}/user/@ann:test/account_data/org.example`, { token })).body).toEqual({ a: 1 });
    expect((await env.call('GET', `${V3}/user/@ann:test/account_data/none`, { token })).status).toBe(404);
    await env.call('PUT', `${V3}/user/@ann:test/rooms/!r:test/account_data/org.room`, { token, body: { b: 2 } });
    expect((await env.call('GET', `${V3}/user/@ann:test/rooms/!r:test/account_data/org.room`, { token })).body).toEqual({ b: 2 });
    expect((await env.call('PUT', `${V3}/user/@ben:test/account_data/x`, { token, body: {} })).status).toBe(403);
    expect((await env.call('PUT', `${V3}/user/@ann:test/rooms/bad/account_data/x`, { token, body: {} })).body['errcode']).toBe('M_INVALID_PARAM');
    expect((await env.call('PUT', `${V3}/user/@ann:test/account_data/x`, { token, body: [1] })).body['errcode']).toBe('M_BAD_JSON');
    const rows = await accountDataForUser(env.db, '@ann:test', { floor: 0, ceiling: Number.MAX_SAFE_INTEGER });
    expect(rows.map((r) => r.type)).toEqual(['org.example', 'org.room']);
  });

  it('adds and removes tags as m.tag room account data', async () => {
    await env.call('PUT', `${V3}/user/@ann:test/rooms/!r:test/tags/m.favourite`, { token, body: { order: 0.5 } });
    await env.call('PUT', `${V3}/user/@ann:test/rooms/!r:test/tags/u.work`, { token, body: {} });
    await env.call('DELETE', `${V3}/user/@ann:test/rooms/!r:test/tags/u.work`, { token });
    expect((await env.call('GET', `${V3}/user/@ann:test/rooms/!r:test/tags`, { token })).body).toEqual({ tags: { 'm.favourite': { order: 0.5 } } });
    expect((await env.call('PUT', `${V3}/user/@ann:test/rooms/!r:test/tags/x`, { token, body: { order: 'high' } })).status).toBe(400);
  });
});

describe('filters', () => {
  it('creates and reads filters, refusing invalid ones and other users', async () => {
    const created = await env.call('POST', `${V3}/user/@ann:test/filter`, { token, body: { room: { timeline: { limit: 10 } } } });
    expect(created.status).toBe(200);
    const id = created.body['filter_id'] as string;
    expect((await env.call('GET', `${V3}/user/@ann:test/filter/${id}`, { token })).body).toEqual({ room: { timeline: { limit: 10 } } });
    expect((await env.call('GET', `${V3}/user/@ann:test/filter/99`, { token })).status).toBe(404);
    expect((await env.call('GET', `${V3}/user/@ann:test/filter/abc`, { token })).status).toBe(404);
    expect((await env.call('POST', `${V3}/user/@ann:test/filter`, { token, body: { room: { timeline: { limit: 'x' } } } })).body['errcode']).toBe('M_BAD_JSON');
    expect((await env.call('GET', `${V3}/user/@ben:test/filter/${id}`, { token })).status).toBe(403);
  });
});
