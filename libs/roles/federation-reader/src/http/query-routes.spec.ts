// Queries from other servers: room alias resolution, profiles and the public room directory.
import { createAlias, getDestinationRetry, insertUser, recordFederationFailure, updateProfile } from '@homeserver/storage';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ALICE, openFedTestEnv, OTHER, REMOTE, SERVER, type FedTestEnv } from '../testing/fed-test-env.ts';

let env: FedTestEnv;
beforeAll(async () => {
  env = await openFedTestEnv();
});
afterAll(async () => {
  await env?.close();
});

const enc = encodeURIComponent;

describe('federation queries', () => {
  it('resolves a local room alias to the room and the servers in it', async () => {
    const roomId = await env.createRoom();
    const alias = `#q:${SERVER}`;
    expect(await createAlias(env.db, { alias, roomId, creator: ALICE, servers: [SERVER] })).toBe(true);
    const answer = await env.call('GET', `/_matrix/federation/v1/query/directory?room_alias=${enc(alias)}`);
    expect(answer).toEqual({ status: 200, body: { room_id: roomId, servers: [SERVER] } });
    expect((await env.call('GET', `/_matrix/federation/v1/query/directory?room_alias=${enc(`#none:${SERVER}`)}`)).status).toBe(404);
    expect((await env.call('GET', `/_matrix/federation/v1/query/directory?room_alias=${enc(`#x:${REMOTE}`)}`)).status).toBe(400);
    expect((await env.call('GET', '/_matrix/federation/v1/query/directory')).status).toBe(400);
  });

  it('answers the profile of a local user, whole or one field', async () => {
    await insertUser(env.db, { userId: ALICE, passwordHash: 'h', createdTs: 1, displayname: 'Alice' });
    await updateProfile(env.db, ALICE, { avatarUrl: 'mxc://local.test/a' });
    expect((await env.call('GET', `/_matrix/federation/v1/query/profile?user_id=${enc(ALICE)}`)).body).toEqual({ displayname: 'Alice', avatar_url: 'mxc://local.test/a' });
    expect((await env.call('GET', `/_matrix/federation/v1/query/profile?user_id=${enc(ALICE)}&field=displayname`)).body).toEqual({ displayname: 'Alice' });
    expect((await env.call('GET', `/_matrix/federation/v1/query/profile?user_id=${enc(ALICE)}&field=bogus`)).status).toBe(400);
    expect((await env.call('GET', `/_matrix/federation/v1/query/profile?user_id=${enc(`@ghost:${SERVER}`)}`)).status).toBe(404);
  });

  it('lists public rooms, GET and POST with a search term', async () => {
    const roomId = await env.createRoom();
    const listed = await env.call('GET', '/_matrix/federation/v1/publicRooms?limit=100');
    expect(listed.status).toBe(200);
    expect((listed.body['chunk'] as Array<{ room_id: string }>).map((r) => r.room_id)).toContain(roomId);
    const searched = await env.call('POST', '/_matrix/federation/v1/publicRooms', { limit: 5, filter: { generic_search_term: 'no room is called this' } });
    expect(searched.body['chunk']).toEqual([]);
    expect((await env.call('GET', '/_matrix/federation/v1/publicRooms?limit=x')).status).toBe(400);
  });

  it('ends our backoff towards a server once it sends us a signed request', async () => {
    // other.test has not contacted us in this file yet (the check runs once a minute per origin).
    await recordFederationFailure(env.db, OTHER, { now: 1_000, retryInterval: 3_600_000 });
    expect((await env.call('GET', `/_matrix/federation/v1/publicRooms?limit=1`, undefined, { origin: OTHER })).status).toBe(200);
    await vi.waitFor(async () => expect(await getDestinationRetry(env.db, OTHER)).toMatchObject({ retryLastTs: 0, retryInterval: 0, failureTs: undefined }));
  });
});
