// Reading push rules over HTTP: server defaults merged with the user's m.push_rules, spec-validated.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAccountsTestEnv, type AccountsTestEnv } from '../testing/accounts-test-env.ts';
import { registerPushRulesRoutes } from './push-rules-routes.ts';
import { PushRulesService } from './push-rules-service.ts';

const V3 = '/_matrix/client/v3';
let env: AccountsTestEnv;
let token: string;
beforeAll(async () => {
  env = await openAccountsTestEnv({}, { extraRoutes: (app, deps) => registerPushRulesRoutes(app, { auth: deps.auth, pushRules: new PushRulesService(deps.accountData) }) });
  token = (await env.register('pia', 'pw')).access_token;
}, 120_000);
afterAll(async () => env.close());

describe('push rules', () => {
  it('serves the defaults for a new user under /pushrules/, /pushrules/global/ and per rule', async () => {
    const all = await env.call('GET', `${V3}/pushrules/`, { token });
    expect(all.status).toBe(200);
    const global = all.body['global'] as Record<string, { rule_id: string; default: boolean }[]>;
    expect(global['override']?.[0]).toMatchObject({ rule_id: '.m.rule.master', default: true, enabled: false });
    expect((await env.call('GET', `${V3}/pushrules/global/`, { token })).body).toEqual(global);
    const rule = await env.call('GET', `${V3}/pushrules/global/underride/.m.rule.message`, { token });
    expect(rule.body).toMatchObject({ rule_id: '.m.rule.message', default: true, enabled: true });
  });

  it('applies the user\'s stored overrides of default rules', async () => {
    // m.push_rules is server-managed (refused through the account data API), so it is stored directly.
    const override = { rule_id: '.m.rule.message', default: true, enabled: false, actions: [] };
    await env.accountData.set('@pia:test', '', 'm.push_rules', { global: { underride: [override] } });
    const rule = await env.call('GET', `${V3}/pushrules/global/underride/.m.rule.message`, { token });
    expect(rule.body).toMatchObject({ rule_id: '.m.rule.message', enabled: false, actions: [] });
  });

  it('lists one kind under /pushrules/global/{kind}/ and one attribute of a rule', async () => {
    // Not in the spec's API description (the validator would read it as getPushRule): Synapse's answer, a list of rules.
    const kind = await env.app.inject({ method: 'GET', url: `${V3}/pushrules/global/override/`, headers: { authorization: `Bearer ${token}` } });
    expect(kind.statusCode).toBe(200);
    expect((kind.json() as { rule_id: string }[])[0]?.rule_id).toBe('.m.rule.master');
    expect((await env.call('GET', `${V3}/pushrules/global/override/.m.rule.master/enabled`, { token })).body).toEqual({ enabled: false });
    expect((await env.call('GET', `${V3}/pushrules/global/override/.m.rule.master/actions`, { token })).body).toEqual({ actions: [] });
  });

  it('answers malformed paths as Synapse: 404 without the trailing slash of /pushrules/, 400 M_UNRECOGNIZED for the rest', async () => {
    const bare = await env.call('GET', `${V3}/pushrules`, { token });
    expect(bare.status).toBe(404);
    expect(bare.body['errcode']).toBe('M_UNRECOGNIZED');
    const gets = ['/pushrules/global', '/pushrules/global/room', '/pushrules/global/not_a_template/', '/pushrules/global/override/.m.rule.master/not_an_attr', '/pushrules/device/'];
    for (const path of gets) {
      const result = await env.call('GET', `${V3}${path}`, { token });
      expect(result.status, path).toBe(400);
      expect(result.body['errcode'], path).toBe('M_UNRECOGNIZED');
    }
    const rule = { actions: ['notify'] };
    for (const path of ['/pushrules/', '/pushrules/global', '/pushrules/global/room', '/pushrules/global/room/', '/pushrules/global/override/.m.rule.master/not_an_attr']) {
      const result = await env.call('PUT', `${V3}${path}`, { token, body: rule });
      expect(result.status, path).toBe(400);
    }
  });

  it('refuses unknown scopes, kinds and rules, and anonymous callers', async () => {
    expect((await env.call('GET', `${V3}/pushrules/device/`, { token })).body['errcode']).toBe('M_UNRECOGNIZED');
    expect((await env.call('GET', `${V3}/pushrules/global/nope/x`, { token })).body['errcode']).toBe('M_UNRECOGNIZED');
    expect((await env.call('GET', `${V3}/pushrules/global/override/.m.rule.nope`, { token })).status).toBe(404);
    expect((await env.call('GET', `${V3}/pushrules/`)).status).toBe(401);
  });
});
