// Profiles of other servers' users: asked of their server (/query/profile), whole or one field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeFederation } from '../rooms/testing/fake-federation.ts';
import { openAccountsTestEnv, type AccountsTestEnv } from '../testing/accounts-test-env.ts';

let env: AccountsTestEnv;
let federation: FakeFederation;

beforeAll(async () => {
  federation = new FakeFederation({ serverName: 'remote.test' });
  federation.profiles.set('@bob:remote.test', { displayname: 'Bob', avatar_url: 'mxc://remote.test/bob' });
  env = await openAccountsTestEnv({}, { federation });
});
afterAll(async () => env.close());

describe('remote profiles', () => {
  it('reads a remote user profile from their server', async () => {
    expect(await env.call('GET', `/_matrix/client/v3/profile/${encodeURIComponent('@bob:remote.test')}`)).toMatchObject({
      status: 200,
      body: { displayname: 'Bob', avatar_url: 'mxc://remote.test/bob' },
    });
    expect(await env.call('GET', `/_matrix/client/v3/profile/${encodeURIComponent('@bob:remote.test')}/displayname`)).toMatchObject({ status: 200, body: { displayname: 'Bob' } });
    const asked = federation.requests.map((r) => r.path);
    expect(asked).toEqual([
      `/_matrix/federation/v1/query/profile?user_id=${encodeURIComponent('@bob:remote.test')}`,
      `/_matrix/federation/v1/query/profile?user_id=${encodeURIComponent('@bob:remote.test')}&field=displayname`,
    ]);
  });

  it('answers 404 for a user their server does not know, and 502 for a server not reached', async () => {
    expect(await env.call('GET', `/_matrix/client/v3/profile/${encodeURIComponent('@nobody:remote.test')}`)).toMatchObject({ status: 404, body: { errcode: 'M_NOT_FOUND' } });
    expect((await env.call('GET', `/_matrix/client/v3/profile/${encodeURIComponent('@x:unreachable.test')}`)).status).toBe(502);
  });
});
