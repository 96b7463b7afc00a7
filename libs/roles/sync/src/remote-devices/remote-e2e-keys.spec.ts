// /keys/query and /keys/claim for users of other servers: tracked users come from the cache,
// others from their server, and a server that fails or does not answer in time is a failure.
import { openDatabase, replaceRemoteDeviceList, setCrossSigningKey, type Database } from '@homeserver/storage';
import type { JsonObject } from '@homeserver/matrix';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { logger } from '../testing/test-app.ts';
import { claimRemoteKeys, queryRemoteKeys, type RemoteE2eKeysDeps } from './remote-e2e-keys.ts';

const CACHED = '@bob:cached.test';
const ASKED = '@carol:asked.test';
const DOWN = '@dave:down.test';
const SLOW = '@erin:slow.test';

let db: Database;
let requests: Array<{ destination: string; path: string; body?: JsonObject }>;

function deps(): RemoteE2eKeysDeps {
  return {
    db,
    serverName: 'us.test',
    logger,
    lists: { update: async () => {}, signingKeys: async () => {}, recheck: async () => {}, refresh: async (userId) => userId === CACHED },
    federation: {
      request: async <T>(request: { destination: string; path: string; body?: JsonObject }): Promise<T> => {
        requests.push(request);
        if (request.destination === 'down.test') throw Object.assign(new Error('down.test: connection refused'), { status: 0 });
        if (request.destination === 'slow.test') return new Promise<T>(() => {});
        if (request.path.endsWith('/user/keys/claim')) return { one_time_keys: { [ASKED]: { D: { 'signed_curve25519:1': { key: 'k' } } }, '@other:elsewhere.test': {} } } as T;
        return { device_keys: { [ASKED]: { D: { user_id: ASKED, device_id: 'D' } }, [CACHED]: { FORGED: {} } }, master_keys: { [ASKED]: { user_id: ASKED } } } as T;
      },
    },
  };
}

beforeEach(async () => {
  db = await openDatabase({ kind: 'pglite' });
  requests = [];
  await replaceRemoteDeviceList(db, CACHED, 7, [{ deviceId: 'PHONE', displayName: 'Phone', keys: { user_id: CACHED, device_id: 'PHONE' } }, { deviceId: 'BARE' }]);
  await setCrossSigningKey(db, { userId: CACHED, type: 'master', keyId: 'M', json: { user_id: CACHED, usage: ['master'], keys: { 'ed25519:M': 'M' } } });
});

afterEach(async () => {
  await db.close();
});

describe('queryRemoteKeys', () => {
  it('answers tracked users from the cache, asks the servers of others, and names the servers that failed', async () => {
    const answer = await queryRemoteKeys(deps(), '@alice:us.test', { [CACHED]: [], [ASKED]: ['D'], [DOWN]: [], [SLOW]: [], '@alice:us.test': [] }, 200);
    expect(answer.device_keys).toEqual({
      [CACHED]: { PHONE: { user_id: CACHED, device_id: 'PHONE', unsigned: { device_display_name: 'Phone' } } },
      [ASKED]: { D: { user_id: ASKED, device_id: 'D' } },
    });
    expect(answer.master_keys).toEqual({ [CACHED]: { user_id: CACHED, usage: ['master'], keys: { 'ed25519:M': 'M' } }, [ASKED]: { user_id: ASKED } });
    expect(Object.keys(answer.failures).sort()).toEqual(['down.test', 'slow.test']);
    expect(answer.failures['down.test']).toMatchObject({ status: 503 });
    // Our own users and the cached one are never asked of a server.
    expect(requests.map((r) => [r.destination, r.body])).toEqual([
      ['asked.test', { device_keys: { [ASKED]: ['D'] } }],
      ['down.test', { device_keys: { [DOWN]: [] } }],
      ['slow.test', { device_keys: { [SLOW]: [] } }],
    ]);
  });
});

describe('claimRemoteKeys', () => {
  it("claims from each user's server, keeping only that server's users", async () => {
    const answer = await claimRemoteKeys(deps(), { [ASKED]: { D: 'signed_curve25519' }, [DOWN]: { X: 'signed_curve25519' } }, 200);
    expect(answer).toEqual({ one_time_keys: { [ASKED]: { D: { 'signed_curve25519:1': { key: 'k' } } } }, failures: { 'down.test': expect.objectContaining({ status: 503 }) } });
  });
});
