// Third-party lookups without application services: Synapse's answers (no protocols, unknown
// protocol 404, empty query results), the spec's required reverse-lookup parameters, and auth.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRoomsTestEnv, SERVER, type RoomsTestEnv } from '../rooms/testing/rooms-test-env.ts';
import { registerThirdPartyRoutes } from './thirdparty-routes.ts';

const ALICE = `@alice:${SERVER}`;
let env: RoomsTestEnv;

beforeAll(async () => {
  env = await openRoomsTestEnv({ extraRoutes: (app, deps) => registerThirdPartyRoutes(app, deps) });
});
afterAll(async () => env.close());

describe('third-party lookups', () => {
  it('lists no protocols (v3 and r0)', async () => {
    expect(await env.call(ALICE, 'GET', '/_matrix/client/v3/thirdparty/protocols')).toEqual({ status: 200, body: {} });
    expect(await env.call(ALICE, 'GET', '/_matrix/client/r0/thirdparty/protocols')).toEqual({ status: 200, body: {} });
  });

  it('answers 404 M_NOT_FOUND for any protocol', async () => {
    const result = await env.call(ALICE, 'GET', '/_matrix/client/v3/thirdparty/protocol/irc');
    expect([result.status, result.body['errcode']]).toEqual([404, 'M_NOT_FOUND']);
  });

  it('finds no users or locations, by protocol or by Matrix ID / alias', async () => {
    const cases = [
      '/thirdparty/user/irc?nickname=bob',
      '/thirdparty/location/irc?channel=%23matrix',
      `/thirdparty/user?userid=${encodeURIComponent(ALICE)}`,
      `/thirdparty/location?alias=${encodeURIComponent(`#a:${SERVER}`)}`,
    ];
    for (const path of cases) {
      expect(await env.call(ALICE, 'GET', `/_matrix/client/v3${path}`), path).toEqual({ status: 200, body: [] as unknown as Record<string, unknown> });
    }
  });

  it('refuses reverse lookups without their parameter and requests without a token', async () => {
    for (const path of ['/thirdparty/user', '/thirdparty/location']) {
      const result = await env.call(ALICE, 'GET', `/_matrix/client/v3${path}`);
      expect([result.status, result.body['errcode']], path).toEqual([400, 'M_MISSING_PARAM']);
    }
    expect((await env.call(undefined, 'GET', '/_matrix/client/v3/thirdparty/protocols')).status).toBe(401);
  });
});
