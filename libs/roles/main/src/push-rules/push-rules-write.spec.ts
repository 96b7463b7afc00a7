// Changing push rules over HTTP (PUT/DELETE of user rules, enabled and actions of any rule):
// order among the user's rules, Synapse's errors, and every write stored as m.push_rules
// account data on the account_data stream. Responses are validated against the v1.19 spec.
import { getAccountData } from '@homeserver/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAccountsTestEnv, type AccountsTestEnv } from '../testing/accounts-test-env.ts';
import { registerPushRulesRoutes } from './push-rules-routes.ts';
import { PushRulesService } from './push-rules-service.ts';

const V3 = '/_matrix/client/v3';
const R0 = '/_matrix/client/r0';
let env: AccountsTestEnv;

beforeAll(async () => {
  env = await openAccountsTestEnv({}, { extraRoutes: (app, deps) => registerPushRulesRoutes(app, { auth: deps.auth, pushRules: new PushRulesService(deps.accountData) }) });
}, 120_000);
afterAll(async () => env.close());

async function user(name: string): Promise<{ token: string; userId: string }> {
  const { access_token, user_id } = await env.register(name, 'pw');
  return { token: access_token, userId: user_id };
}

async function ok(method: string, url: string, token: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await env.call(method, url, { token, body });
  expect([res.status, res.body]).toEqual([200, res.body]);
  return res.body;
}

async function error(method: string, url: string, token: string, body?: unknown): Promise<[number, unknown]> {
  const res = await env.call(method, url, { token, body });
  return [res.status, res.body['errcode']];
}

/** IDs of the user's own (non-default) rules of a kind, in evaluation order. */
async function ownIds(token: string, kind: string): Promise<string[]> {
  const rules = (await ok('GET', `${V3}/pushrules/global/`, token))[kind] as Array<{ rule_id: string; default: boolean }>;
  return rules.filter((r) => !r.default).map((r) => r.rule_id);
}

describe('PUT /pushrules/global/{kind}/{ruleId}', () => {
  it('creates an enabled user rule, readable under v3 and r0, stored as m.push_rules on the account_data stream', async () => {
    const { token, userId } = await user('creator');
    const before = env.writer.position;
    await ok('PUT', `${V3}/pushrules/global/content/cake`, token, { pattern: 'cake*lie', actions: ['notify', { set_tweak: 'sound', value: 'default' }] });
    const rule = { rule_id: 'cake', default: false, enabled: true, pattern: 'cake*lie', actions: ['notify', { set_tweak: 'sound', value: 'default' }] };
    expect(await ok('GET', `${R0}/pushrules/global/content/cake`, token)).toEqual(rule);
    expect(((await ok('GET', `${V3}/pushrules/`, token))['global'] as Record<string, unknown[]>)['content']![0]).toEqual(rule);
    expect(env.writer.position).toBeGreaterThan(before);
    const stored = await getAccountData(env.db, userId, '', 'm.push_rules');
    expect((stored?.['global'] as Record<string, unknown>)['content']).toEqual([rule]);
    await ok('PUT', `${R0}/pushrules/global/room/!quiet:test`, token, { actions: ['dont_notify'] });
    expect(await ok('GET', `${V3}/pushrules/global/room/!quiet:test`, token)).toEqual({ rule_id: '!quiet:test', default: false, enabled: true, actions: ['dont_notify'] });
    await ok('PUT', `${V3}/pushrules/global/override/all`, token, { conditions: [], actions: [] });
    expect((await ok('GET', `${V3}/pushrules/global/override/all`, token))['conditions']).toEqual([]);
  });

  it('places new rules first, or before/after a user rule of the kind (before wins), and keeps an updated rule in place', async () => {
    const { token } = await user('orderer');
    const put = (id: string, query = '', actions: unknown[] = ['notify']) => ok('PUT', `${V3}/pushrules/global/sender/${id}${query}`, token, { actions });
    await put('@a:test');
    await put('@b:test');
    expect(await ownIds(token, 'sender')).toEqual(['@b:test', '@a:test']);
    await put('@c:test', '?after=@b:test');
    await put('@d:test', '?before=@a:test');
    expect(await ownIds(token, 'sender')).toEqual(['@b:test', '@c:test', '@d:test', '@a:test']);
    await put('@e:test', '?after=@a:test&before=@b:test');
    expect(await ownIds(token, 'sender')).toEqual(['@e:test', '@b:test', '@c:test', '@d:test', '@a:test']);
    // An update keeps the rule's place and its enabled flag, and takes the new actions.
    await ok('PUT', `${V3}/pushrules/global/sender/@c:test/enabled`, token, { enabled: false });
    await put('@c:test', '', ['dont_notify']);
    expect(await ownIds(token, 'sender')).toEqual(['@e:test', '@b:test', '@c:test', '@d:test', '@a:test']);
    expect(await ok('GET', `${V3}/pushrules/global/sender/@c:test`, token)).toMatchObject({ enabled: false, actions: ['dont_notify'] });
    // An update with a position moves it.
    await put('@c:test', '?after=@a:test');
    expect(await ownIds(token, 'sender')).toEqual(['@e:test', '@b:test', '@d:test', '@a:test', '@c:test']);
  });

  it('refuses a position relative to a missing rule, a rule of another kind or a server default (400 M_UNKNOWN, as Synapse)', async () => {
    const { token } = await user('lost');
    await ok('PUT', `${V3}/pushrules/global/room/!r:test`, token, { actions: [] });
    const body = { actions: ['notify'] };
    expect(await error('PUT', `${V3}/pushrules/global/sender/@x:test?before=nope`, token, body)).toEqual([400, 'M_UNKNOWN']);
    expect(await error('PUT', `${V3}/pushrules/global/sender/@x:test?after=!r:test`, token, body)).toEqual([400, 'M_UNKNOWN']);
    expect(await error('PUT', `${V3}/pushrules/global/override/x?before=.m.rule.master`, token, { conditions: [], actions: [] })).toEqual([400, 'M_UNKNOWN']);
    expect(await ownIds(token, 'sender')).toEqual([]);
  });

  it('refuses reserved or malformed rule IDs, unknown scopes and kinds, and malformed rules', async () => {
    const { token } = await user('strict');
    const put = (path: string, body: unknown) => error('PUT', `${V3}/pushrules/${path}`, token, body);
    const notify = { actions: ['notify'] };
    expect(await put('global/room/.m.rule.mine', notify)).toEqual([400, 'M_INVALID_PARAM']);
    expect(await put('global/override/.m.rule.master', { conditions: [], actions: [] })).toEqual([400, 'M_INVALID_PARAM']);
    expect(await put('global/sender/a%2Fb', notify)).toEqual([400, 'M_INVALID_PARAM']);
    expect(await put('global/sender/a%5Cb', notify)).toEqual([400, 'M_INVALID_PARAM']);
    expect(await put('device/sender/x', notify)).toEqual([400, 'M_UNRECOGNIZED']);
    expect(await put('global/postcontent/x', notify)).toEqual([400, 'M_INVALID_PARAM']);
    expect(await put('global/sender/x', {})).toEqual([400, 'M_BAD_JSON']);
    expect(await put('global/sender/x', ['notify'])).toEqual([400, 'M_BAD_JSON']);
    expect(await put('global/sender/x', { actions: 'notify' })).toEqual([400, 'M_BAD_JSON']);
    expect(await put('global/sender/x', { actions: ['ring'] })).toEqual([400, 'M_INVALID_PARAM']);
    expect(await put('global/sender/x', { actions: [{ value: 1 }] })).toEqual([400, 'M_INVALID_PARAM']);
    expect(await put('global/content/x', notify)).toEqual([400, 'M_BAD_JSON']);
    expect(await put('global/content/x', { ...notify, pattern: '' })).toEqual([400, 'M_BAD_JSON']);
    expect(await put('global/override/x', notify)).toEqual([400, 'M_BAD_JSON']);
    expect(await put('global/underride/x', { ...notify, conditions: {} })).toEqual([400, 'M_BAD_JSON']);
    expect(await put('global/override/x', { ...notify, conditions: [{ key: 'type' }] })).toEqual([400, 'M_INVALID_PARAM']);
    expect(await put('global/override/x', { ...notify, conditions: [{ kind: 'event_match', key: 'type' }] })).toEqual([400, 'M_INVALID_PARAM']);
    expect(await put('global/override/x', { ...notify, conditions: [{ kind: 'room_member_count', is: 'two' }] })).toEqual([400, 'M_INVALID_PARAM']);
    expect(await put('global/override/x', { ...notify, conditions: [{ kind: 'event_property_is', key: 'a', value: { b: 1 } }] })).toEqual([400, 'M_INVALID_PARAM']);
    expect((await env.call('PUT', `${V3}/pushrules/global/sender/x`, { body: notify })).status).toBe(401);
    // Conditions of kinds this server does not know are kept (they never match, per spec).
    await ok('PUT', `${V3}/pushrules/global/override/future`, token, { ...notify, conditions: [{ kind: 'org.example.future', x: 1 }] });
    expect(await ownIds(token, 'override')).toEqual(['future']);
  });
});

describe('DELETE /pushrules/global/{kind}/{ruleId}', () => {
  it('deletes a user rule; unknown rules and server defaults are 404 M_NOT_FOUND', async () => {
    const { token } = await user('deleter');
    await ok('PUT', `${V3}/pushrules/global/sender/@gone:test`, token, { actions: [] });
    await ok('DELETE', `${V3}/pushrules/global/sender/@gone:test`, token);
    expect(await error('GET', `${V3}/pushrules/global/sender/@gone:test`, token)).toEqual([404, 'M_NOT_FOUND']);
    expect(await error('DELETE', `${R0}/pushrules/global/sender/@gone:test`, token)).toEqual([404, 'M_NOT_FOUND']);
    expect(await error('DELETE', `${V3}/pushrules/global/override/.m.rule.master`, token)).toEqual([404, 'M_NOT_FOUND']);
    expect(await ok('GET', `${V3}/pushrules/global/override/.m.rule.master`, token)).toMatchObject({ default: true });
    expect(await error('DELETE', `${V3}/pushrules/global/nope/x`, token)).toEqual([400, 'M_INVALID_PARAM']);
  });
});

describe('enabled and actions', () => {
  it('changes a server default\'s enabled and actions independently; the rest of the default stays', async () => {
    const { token, userId } = await user('tuner');
    const url = `${V3}/pushrules/global/underride/.m.rule.message`;
    const defaults = await ok('GET', url, token);
    expect(await ok('GET', `${url}/enabled`, token)).toEqual({ enabled: true });
    await ok('PUT', `${url}/enabled`, token, { enabled: false });
    expect(await ok('GET', `${url}/enabled`, token)).toEqual({ enabled: false });
    expect(await ok('GET', `${url}/actions`, token)).toEqual({ actions: defaults['actions'] });
    await ok('PUT', `${url}/actions`, token, { actions: ['notify', { set_tweak: 'highlight', value: false }] });
    expect(await ok('GET', url, token)).toEqual({ ...defaults, enabled: false, actions: ['notify', { set_tweak: 'highlight', value: false }] });
    // Older clients send a bare boolean (Synapse accepts it).
    await ok('PUT', `${R0}/pushrules/global/underride/.m.rule.message/enabled`, token, true);
    expect(await ok('GET', `${url}/enabled`, token)).toEqual({ enabled: true });
    const stored = (await getAccountData(env.db, userId, '', 'm.push_rules'))?.['global'] as Record<string, unknown>;
    expect(stored['underride']).toEqual([{ rule_id: '.m.rule.message', default: true, enabled: true, actions: ['notify', { set_tweak: 'highlight', value: false }] }]);
  });

  it('changes a user rule\'s enabled and actions', async () => {
    const { token } = await user('toggler');
    await ok('PUT', `${V3}/pushrules/global/room/!r:test`, token, { actions: ['notify'] });
    await ok('PUT', `${V3}/pushrules/global/room/!r:test/enabled`, token, { enabled: false });
    await ok('PUT', `${V3}/pushrules/global/room/!r:test/actions`, token, { actions: [] });
    expect(await ok('GET', `${V3}/pushrules/global/room/!r:test`, token)).toEqual({ rule_id: '!r:test', default: false, enabled: false, actions: [] });
  });

  it('answers 404 M_NOT_FOUND for unknown rules and 400 for malformed values', async () => {
    const { token } = await user('prober');
    for (const path of ['override/nope', 'override/.m.rule.nope', 'room/.m.rule.master']) {
      expect(await error('GET', `${V3}/pushrules/global/${path}/enabled`, token)).toEqual([404, 'M_NOT_FOUND']);
      expect(await error('GET', `${V3}/pushrules/global/${path}/actions`, token)).toEqual([404, 'M_NOT_FOUND']);
      expect(await error('PUT', `${V3}/pushrules/global/${path}/enabled`, token, { enabled: true })).toEqual([404, 'M_NOT_FOUND']);
      expect(await error('PUT', `${V3}/pushrules/global/${path}/actions`, token, { actions: [] })).toEqual([404, 'M_NOT_FOUND']);
    }
    const master = `${V3}/pushrules/global/override/.m.rule.master`;
    expect(await error('PUT', `${master}/enabled`, token, { enabled: 'yes' })).toEqual([400, 'M_BAD_JSON']);
    expect(await error('PUT', `${master}/enabled`, token, {})).toEqual([400, 'M_BAD_JSON']);
    expect(await error('PUT', `${master}/actions`, token, {})).toEqual([400, 'M_BAD_JSON']);
    expect(await error('PUT', `${master}/actions`, token, { actions: ['beep'] })).toEqual([400, 'M_INVALID_PARAM']);
    expect(await error('PUT', `${V3}/pushrules/global/bad/x/enabled`, token, { enabled: true })).toEqual([400, 'M_INVALID_PARAM']);
    expect(await ok('GET', `${master}/enabled`, token)).toEqual({ enabled: false });
  });

  it('serialises concurrent writes of one user, losing none', async () => {
    const { token } = await user('racer');
    const ids = Array.from({ length: 8 }, (_, i) => `@r${i}:test`);
    await Promise.all(ids.map((id) => ok('PUT', `${V3}/pushrules/global/sender/${id}`, token, { actions: [] })));
    expect((await ownIds(token, 'sender')).sort()).toEqual([...ids].sort());
  });
});
