// The 3PID endpoints over the accounts test env (real access tokens): an empty list, changes
// refused as with Synapse's enable_3pid_changes: false, no email or SMS validation, unbind's
// `no-support`, and the 4xx for bad bodies and missing tokens. Responses are validated against
// the v1.19 spec wherever the spec has the endpoint.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAccountsTestEnv, type AccountsTestEnv } from '../testing/accounts-test-env.ts';
import { registerThreepidRoutes } from './threepid-routes.ts';

let env: AccountsTestEnv;
let token: string;

beforeAll(async () => {
  env = await openAccountsTestEnv({}, { extraRoutes: (app, deps) => registerThreepidRoutes(app, { authenticate: deps.auth.authenticate }) });
  token = (await env.register('tpuser')).access_token;
});
afterAll(async () => env.close());

const v3 = (path: string) => `/_matrix/client/v3${path}`;
const errorOf = (result: { status: number; body: Record<string, unknown> }) => [result.status, result.body['errcode']];
const emailRequest = { client_secret: 'secret1', email: 'a@example.org', send_attempt: 1 };
const msisdnRequest = { client_secret: 'secret1', country: 'GB', phone_number: '07700900001', send_attempt: 1 };

describe('3PID endpoints', () => {
  it('lists no 3PIDs, under v3 and r0, and needs a token', async () => {
    expect(await env.call('GET', v3('/account/3pid'), { token })).toEqual({ status: 200, body: { threepids: [] } });
    expect((await env.call('GET', '/_matrix/client/r0/account/3pid', { token })).body).toEqual({ threepids: [] });
    expect(errorOf(await env.call('GET', v3('/account/3pid')))).toEqual([401, 'M_MISSING_TOKEN']);
  });

  it('refuses adding and deleting 3PIDs as 3PID changes are disabled', async () => {
    const creds = { client_secret: 'secret1', sid: 'sid1' };
    expect(errorOf(await env.call('POST', v3('/account/3pid/add'), { token, body: creds }))).toEqual([400, 'M_FORBIDDEN']);
    expect(errorOf(await env.call('POST', v3('/account/3pid'), { token, body: { three_pid_creds: creds } }))).toEqual([400, 'M_FORBIDDEN']);
    expect(errorOf(await env.call('POST', v3('/account/3pid/delete'), { token, body: { medium: 'email', address: 'a@example.org' } }))).toEqual([400, 'M_FORBIDDEN']);
    // Not through `call`: the spec's 401 for /3pid/add is the user-interactive auth shape only.
    const anonymous = await env.app.inject({ method: 'POST', url: v3('/account/3pid/add'), payload: creds });
    expect([anonymous.statusCode, anonymous.json().errcode]).toEqual([401, 'M_MISSING_TOKEN']);
  });

  it('binds nothing through identity servers and unbinds with no-support', async () => {
    const bind = { client_secret: 'secret1', id_server: 'id.example.org', id_access_token: 'tok', sid: 'sid1' };
    expect(errorOf(await env.call('POST', v3('/account/3pid/bind'), { token, body: bind }))).toEqual([403, 'M_FORBIDDEN']);
    expect(errorOf(await env.call('POST', v3('/account/3pid/bind'), { token, body: { sid: 'x' } }))).toEqual([400, 'M_BAD_JSON']);
    const unbind = await env.call('POST', v3('/account/3pid/unbind'), { token, body: { medium: 'email', address: 'a@example.org', id_server: 'id.example.org' } });
    expect(unbind).toEqual({ status: 200, body: { id_server_unbind_result: 'no-support' } });
    expect(errorOf(await env.call('POST', v3('/account/3pid/unbind'), { token, body: { medium: 'fax', address: 'x' } }))).toEqual([400, 'M_BAD_JSON']);
    expect(errorOf(await env.call('POST', v3('/account/3pid/unbind'), { body: { medium: 'email', address: 'x' } }))).toEqual([401, 'M_MISSING_TOKEN']);
  });

  it('sends no validation email or SMS, without needing a token', async () => {
    expect(errorOf(await env.call('POST', v3('/account/3pid/email/requestToken'), { body: emailRequest }))).toEqual([400, 'M_FORBIDDEN']);
    expect(errorOf(await env.call('POST', v3('/account/3pid/msisdn/requestToken'), { body: msisdnRequest }))).toEqual([400, 'M_THREEPID_MEDIUM_NOT_SUPPORTED']);
    expect(errorOf(await env.call('POST', v3('/register/email/requestToken'), { body: emailRequest }))).toEqual([400, 'M_UNKNOWN']);
    expect(errorOf(await env.call('POST', v3('/register/msisdn/requestToken'), { body: msisdnRequest }))).toEqual([400, 'M_UNKNOWN']);
    const reset = await env.call('POST', v3('/account/password/email/requestToken'), { body: emailRequest });
    expect(errorOf(reset)).toEqual([400, 'M_UNKNOWN']);
    expect(String(reset.body['error'])).toContain('disabled');
    // Synapse has no phone-based password reset endpoint at all.
    expect(errorOf(await env.call('POST', v3('/account/password/msisdn/requestToken'), { body: msisdnRequest }))).toEqual([404, 'M_UNRECOGNIZED']);
  });

  it('checks that bodies are objects, and msisdn request bodies fully, first', async () => {
    expect(errorOf(await env.call('POST', v3('/account/3pid/msisdn/requestToken'), { body: { country: 'GB' } }))).toEqual([400, 'M_BAD_JSON']);
    expect(errorOf(await env.call('POST', v3('/register/msisdn/requestToken'), { body: { ...msisdnRequest, client_secret: 'bad secret!' } }))).toEqual([400, 'M_BAD_JSON']);
    expect(errorOf(await env.call('POST', v3('/register/msisdn/requestToken'), { raw: '{not json' }))).toEqual([400, 'M_NOT_JSON']);
    for (const path of ['/account/3pid/add', '/account/3pid/email/requestToken', '/register/email/requestToken', '/account/password/email/requestToken']) {
      expect([path, ...errorOf(await env.call('POST', v3(path), { token, raw: '[1]' }))]).toEqual([path, 400, 'M_BAD_JSON']);
    }
  });
});
