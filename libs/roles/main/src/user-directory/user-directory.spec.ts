// POST /user_directory/search over the role-main rooms test env: who may be found (shared
// rooms, public and world-readable rooms, search_all_users, never deactivated users or guests),
// matching (localpart, display-name words, case-insensitive prefixes), ranking (exact before
// prefix, shared rooms first), limit/limited, remote users, the config switches, and that
// profile, membership and join-rule changes show at once. Every response is spec-checked.
import { insertUser, markUserDeactivated, updateProfile } from '@homeserver/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enc, openRoomsTestEnv, SERVER, type RoomsTestEnv } from '../rooms/testing/rooms-test-env.ts';
import { registerUserDirectoryRoutes, searchWords, type UserDirectorySettings } from './user-directory-routes.ts';

const user = (name: string) => `@${name}:${SERVER}`;
const ALICE = user('alice');
const BOB = user('bob');
const BOBBY = user('bobby');
const CAROL = user('carol');
const CAROLYN = user('carolyn');
const DAVE = user('dave');
const EVE = user('eve');
const GUEST = user('1234');
const REMOTE = '@zed:remote.example';
const v3 = (path: string) => `/_matrix/client/v3${path}`;

const settings: { -readonly [K in keyof UserDirectorySettings]: UserDirectorySettings[K] } = {
  enabled: true,
  searchAllUsers: false,
  preferLocalUsers: false,
  excludeRemoteUsers: false,
};
let env: RoomsTestEnv;
let shared: string;
let lobby: string;

async function search(searcher: string, term: string, limit?: number): Promise<{ ids: string[]; body: Record<string, unknown> }> {
  const result = await env.call(searcher, 'POST', v3('/user_directory/search'), { search_term: term, ...(limit === undefined ? {} : { limit }) });
  expect(result.status, JSON.stringify(result.body)).toBe(200);
  return { ids: (result.body['results'] as Array<{ user_id: string }>).map((r) => r.user_id), body: result.body };
}

async function join(userId: string, roomId: string): Promise<void> {
  const result = await env.call(userId, 'POST', v3(`/rooms/${enc(roomId)}/join`), {});
  expect(result.status, JSON.stringify(result.body)).toBe(200);
}

async function invite(inviter: string, roomId: string, invitee: string): Promise<void> {
  const result = await env.call(inviter, 'POST', v3(`/rooms/${enc(roomId)}/invite`), { user_id: invitee });
  expect(result.status, JSON.stringify(result.body)).toBe(200);
}

/** A remote user joined to a room, written as federation would leave it (no persister path for remote joins here). */
async function addRemoteMember(roomId: string, userId: string, displayName: string, position: number): Promise<void> {
  const eventId = `$remote-join-${position}`;
  const content = { membership: 'join', displayname: displayName };
  const json = JSON.stringify({ type: 'm.room.member', state_key: userId, sender: userId, room_id: roomId, content, origin_server_ts: 1, depth: 100 });
  await env.db.query(
    `INSERT INTO events (event_id, room_id, type, state_key, sender, depth, origin_server_ts, stream_ordering, instance_name, json)
     VALUES ($1, $2, 'm.room.member', $3, $3, 100, 1, $4, 'remote', $5)`,
    [eventId, roomId, userId, position, json],
  );
  await env.db.query(`INSERT INTO current_state_events (room_id, type, state_key, event_id, membership, stream_ordering) VALUES ($1, 'm.room.member', $2, $3, 'join', $4)`, [
    roomId,
    userId,
    eventId,
    position,
  ]);
  await env.db.query(
    `INSERT INTO room_memberships (event_id, room_id, user_id, sender, membership, stream_ordering, display_name) VALUES ($1, $2, $3, $3, 'join', $4, $5)`,
    [eventId, roomId, userId, position, displayName],
  );
}

beforeAll(async () => {
  env = await openRoomsTestEnv({
    extraRoutes: (app, deps) => registerUserDirectoryRoutes(app, { db: deps.db, authenticate: deps.authenticate, serverName: SERVER, settings }),
  });
  const profiles: Array<[string, string | undefined, string | undefined]> = [
    [ALICE, 'Alice Liddell', undefined],
    [BOB, 'Robert Tables', 'mxc://test.local/bob'],
    [BOBBY, 'Bobby Brown', undefined],
    [CAROL, 'Carol', undefined],
    [CAROLYN, 'Carolyn', undefined],
    [DAVE, 'Dave Lonely', undefined],
    [EVE, 'Eve Gone', undefined],
  ];
  for (const [userId, displayname, avatarUrl] of profiles) {
    await insertUser(env.db, { userId, passwordHash: null, createdTs: 1, displayname });
    if (avatarUrl) await updateProfile(env.db, userId, { avatarUrl });
  }
  await insertUser(env.db, { userId: GUEST, passwordHash: null, createdTs: 1, isGuest: true, displayname: 'Dave Guest' });
  // Alice and Bob share a private room; Bobby, Carol, Carolyn and Eve sit in a public lobby.
  shared = await env.createRoom(ALICE, { preset: 'private_chat' });
  await invite(ALICE, shared, BOB);
  await join(BOB, shared);
  lobby = await env.createRoom(CAROL, { preset: 'public_chat' });
  for (const member of [BOBBY, CAROLYN, EVE]) await join(member, lobby);
  await markUserDeactivated(env.db, EVE);
  await addRemoteMember(lobby, REMOTE, 'Zed Remote', 1_000_000_000);
});
afterAll(async () => env.close());

describe('searchWords', () => {
  it('splits on everything but letters and digits and lower-cases', () => {
    expect(searchWords('@Bob.Smith:Example.org')).toEqual(['bob', 'smith', 'example', 'org']);
    expect(searchWords('  Ärger  Ωmega_7 ')).toEqual(['ärger', 'ωmega', '7']);
    expect(searchWords('@:  ')).toEqual([]);
  });
});

describe('POST /user_directory/search', () => {
  it('finds users who share a room and users in public rooms, by localpart or display-name word prefix, case-insensitively', async () => {
    expect((await search(ALICE, 'bob')).ids).toEqual([BOB, BOBBY]);
    expect((await search(ALICE, 'TAB')).ids).toEqual([BOB]);
    expect((await search(ALICE, 'robert tab')).ids).toEqual([BOB]);
    expect((await search(ALICE, 'carol')).ids).toEqual([CAROL, CAROLYN]);
    expect((await search(ALICE, 'brown')).ids).toEqual([BOBBY]);
    // A word inside a word does not match: only word prefixes do.
    expect((await search(ALICE, 'obert')).ids).toEqual([]);
  });

  it('answers profiles: the global display name and avatar of local users', async () => {
    const { body } = await search(ALICE, 'robert');
    expect(body).toEqual({ limited: false, results: [{ user_id: BOB, display_name: 'Robert Tables', avatar_url: 'mxc://test.local/bob' }] });
  });

  it('ranks exact words before prefixes and users sharing a room before others', async () => {
    // "bob" is Bob's exact localpart and Bobby's prefix; Bob also shares a room with Alice.
    expect((await search(ALICE, 'bo')).ids).toEqual([BOB, BOBBY]);
    // Carol and Carolyn are both in the public room only: the exact localpart wins.
    expect((await search(BOB, 'carol')).ids).toEqual([CAROL, CAROLYN]);
    // A user sharing a room beats an equally good match of a stranger (4x).
    await env.db.query("UPDATE profiles SET displayname = 'Carol Friend' WHERE user_id = $1", [BOB]);
    expect((await search(ALICE, 'carol')).ids).toEqual([BOB, CAROL, CAROLYN]);
    await updateProfile(env.db, BOB, { displayname: 'Robert Tables' });
  });

  it('never finds users outside shared or public rooms, deactivated users, guests or (outside public rooms) the searcher', async () => {
    expect((await search(ALICE, 'dave')).ids).toEqual([]);
    expect((await search(ALICE, 'eve')).ids).toEqual([]);
    expect((await search(ALICE, 'alice')).ids).toEqual([]);
    // Carol sits in the public room, so she finds herself (as Synapse's users_in_public_rooms).
    expect((await search(CAROL, 'carol')).ids).toEqual([CAROL, CAROLYN]);
  });

  it('finds remote users joined to a public room by their member-event profile', async () => {
    const { body } = await search(ALICE, 'zed');
    expect(body['results']).toEqual([{ user_id: REMOTE, display_name: 'Zed Remote' }]);
    expect((await search(ALICE, 'remote example')).ids).toEqual([REMOTE]);
  });

  it('follows profile, membership and join-rule changes at once', async () => {
    await updateProfile(env.db, BOBBY, { displayname: 'Snowball' });
    expect((await search(ALICE, 'snow')).ids).toEqual([BOBBY]);
    expect((await search(ALICE, 'brown')).ids).toEqual([]);
    await updateProfile(env.db, BOBBY, { displayname: 'Bobby Brown' });

    const leave = await env.call(BOB, 'POST', v3(`/rooms/${enc(shared)}/leave`), {});
    expect(leave.status).toBe(200);
    expect((await search(ALICE, 'robert')).ids).toEqual([]);
    await invite(ALICE, shared, BOB);
    await join(BOB, shared);
    expect((await search(ALICE, 'robert')).ids).toEqual([BOB]);

    // Dave's room turns public: Alice may now find him; world-readable history does the same.
    const daves = await env.createRoom(DAVE, { preset: 'private_chat' });
    expect((await search(ALICE, 'dave')).ids).toEqual([]);
    const rule = await env.call(DAVE, 'PUT', v3(`/rooms/${enc(daves)}/state/m.room.join_rules/`), { join_rule: 'public' });
    expect(rule.status).toBe(200);
    expect((await search(ALICE, 'dave')).ids).toEqual([DAVE]);
    await env.call(DAVE, 'PUT', v3(`/rooms/${enc(daves)}/state/m.room.join_rules/`), { join_rule: 'invite' });
    expect((await search(ALICE, 'dave')).ids).toEqual([]);
    await env.call(DAVE, 'PUT', v3(`/rooms/${enc(daves)}/state/m.room.history_visibility/`), { history_visibility: 'world_readable' });
    expect((await search(ALICE, 'dave')).ids).toEqual([DAVE]);
    await env.call(DAVE, 'PUT', v3(`/rooms/${enc(daves)}/state/m.room.history_visibility/`), { history_visibility: 'shared' });
    expect((await search(ALICE, 'dave')).ids).toEqual([]);
  });

  it('limits results (default 10, at most 50) and says when it did', async () => {
    expect((await search(ALICE, 'carol', 1)).body).toMatchObject({ limited: true, results: [{ user_id: CAROL }] });
    expect((await search(ALICE, 'carol', 2)).body['limited']).toBe(false);
    expect((await search(ALICE, 'carol', 0)).body).toEqual({ limited: false, results: [] });
    expect((await search(ALICE, 'carol', -5)).body).toEqual({ limited: false, results: [] });
    expect((await search(ALICE, 'carol', 1000)).ids).toEqual([CAROL, CAROLYN]);
  });

  it('finds nothing for a term without words', async () => {
    expect((await search(ALICE, '')).body).toEqual({ limited: false, results: [] });
    expect((await search(ALICE, '@:.')).body).toEqual({ limited: false, results: [] });
    // LIKE wildcards are not words, so they match nothing rather than everyone.
    expect((await search(ALICE, '%')).ids).toEqual([]);
  });

  it('with search_all_users finds every active local non-guest user but the searcher', async () => {
    settings.searchAllUsers = true;
    try {
      expect((await search(ALICE, 'dave')).ids).toEqual([DAVE]);
      expect((await search(ALICE, 'alice')).ids).toEqual([]);
      expect((await search(ALICE, 'eve')).ids).toEqual([]);
      // Users sharing a room still rank first.
      expect((await search(ALICE, 'bob')).ids).toEqual([BOB, BOBBY]);
    } finally {
      settings.searchAllUsers = false;
    }
  });

  it('honours exclude_remote_users, prefer_local_users and enabled: false', async () => {
    await env.db.query("UPDATE profiles SET displayname = 'Zed Local' WHERE user_id = $1", [CAROLYN]);
    try {
      expect((await search(ALICE, 'zed')).ids).toEqual([REMOTE, CAROLYN]);
      settings.preferLocalUsers = true;
      expect((await search(ALICE, 'zed')).ids).toEqual([CAROLYN, REMOTE]);
      settings.excludeRemoteUsers = true;
      expect((await search(ALICE, 'zed')).ids).toEqual([CAROLYN]);
      settings.enabled = false;
      expect((await search(ALICE, 'zed')).body).toEqual({ limited: false, results: [] });
    } finally {
      Object.assign(settings, { enabled: true, preferLocalUsers: false, excludeRemoteUsers: false });
      await updateProfile(env.db, CAROLYN, { displayname: 'Carolyn' });
    }
  });

  it('treats a room whose join rules PostgreSQL cannot read as jsonb as not public instead of failing', async () => {
    const room = await env.createRoom(DAVE, { preset: 'public_chat' });
    expect((await search(ALICE, 'dave')).ids).toEqual([DAVE]);
    // An escaped NUL is legal in event JSON (a federated event may carry one) but not in jsonb.
    await env.db.query(
      `UPDATE events SET json = replace(json, '"join_rule":"public"', '"join_rule":"public","x":"\\u0000"')
        WHERE event_id = (SELECT event_id FROM current_state_events WHERE room_id = $1 AND type = 'm.room.join_rules')`,
      [room],
    );
    const { rows } = await env.db.query<{ json: string }>("SELECT e.json FROM events e JOIN current_state_events c USING (event_id) WHERE c.room_id = $1 AND c.type = 'm.room.join_rules'", [room]);
    expect(rows[0]?.json).toContain('\\u0000');
    expect((await search(ALICE, 'dave')).ids).toEqual([]);
  });

  it('refuses bad input with 4xx Matrix errors', async () => {
    const missing = await env.call(ALICE, 'POST', v3('/user_directory/search'), { limit: 3 });
    expect(missing.status).toBe(400);
    expect(missing.body['errcode']).toBe('M_BAD_JSON');
    const badTerm = await env.call(ALICE, 'POST', v3('/user_directory/search'), { search_term: 5 });
    expect(badTerm.status).toBe(400);
    const badLimit = await env.call(ALICE, 'POST', v3('/user_directory/search'), { search_term: 'x', limit: 'ten' });
    expect(badLimit.status).toBe(400);
    const noToken = await env.call(undefined, 'POST', v3('/user_directory/search'), { search_term: 'x' });
    expect(noToken.status).toBe(401);
  });
});
