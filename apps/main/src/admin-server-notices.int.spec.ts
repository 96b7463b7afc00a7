// Server notices over HTTP on the monolith (Synapse's server_notices config and
// POST/PUT /_synapse/admin/v1/send_server_notice): the first notice makes the user's notice room
// (named from the config, tagged m.server_notice, the user invited or, with auto_join, joined),
// later ones reuse it, a retried PUT sends nothing new, the user cannot write there.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAdminTestbed, type AdminTestbed, type TestUser } from './testing/admin-http.ts';

const enc = encodeURIComponent;
type Json = Record<string, unknown>;

for (const autoJoin of [false, true]) {
  describe(`send_server_notice (auto_join: ${autoJoin})`, () => {
    let bed: AdminTestbed;
    let admin: TestUser;
    let alice: TestUser;
    const as = (user: TestUser, method: string, path: string, body?: unknown) => bed.as(user, method, path, body);
    const notice = (body: string, txnId?: string) =>
      as(admin, txnId === undefined ? 'POST' : 'PUT', `/_synapse/admin/v1/send_server_notice${txnId === undefined ? '' : `/${txnId}`}`, { user_id: alice.userId, content: { msgtype: 'm.text', body } });

    beforeAll(async () => {
      const server_notices = { system_mxid_localpart: 'notices', system_mxid_display_name: 'Notices Bot', system_mxid_avatar_url: 'mxc://notices.test/bot', room_name: 'Server Notices', auto_join: autoJoin };
      bed = await startAdminTestbed({ serverName: 'notices.test', users: ['alice'], extra: { server_notices } });
      ({ admin } = bed);
      alice = bed.users['alice']!;
    }, 240_000);

    afterAll(async () => {
      await bed?.server.stop();
    }, 60_000);

    it('creates a tagged notice room for the user on the first notice and reuses it', async () => {
      const first = await notice('first notice');
      expect(first.status, JSON.stringify(first.body)).toBe(200);
      const sync = (await as(alice, 'GET', '/_matrix/client/v3/sync')).body as { rooms: { invite: Record<string, { invite_state: { events: Json[] } }>; join: Record<string, Json> } };
      const rooms = autoJoin ? Object.keys(sync.rooms.join) : Object.keys(sync.rooms.invite);
      expect(rooms).toHaveLength(1);
      const roomId = rooms[0]!;
      if (!autoJoin) {
        const invite = sync.rooms.invite[roomId]!.invite_state.events;
        expect(invite.find((e) => e['type'] === 'm.room.name')?.['content']).toEqual({ name: 'Server Notices' });
        expect(invite.find((e) => e['type'] === 'm.room.member' && e['state_key'] === alice.userId)?.['sender']).toBe('@notices:notices.test');
        expect((await as(alice, 'POST', `/_matrix/client/v3/join/${enc(roomId)}`, {})).status).toBe(200);
      }
      const tags = await as(alice, 'GET', `/_matrix/client/v3/user/${enc(alice.userId)}/rooms/${enc(roomId)}/tags`);
      expect(tags.body).toEqual({ tags: { 'm.server_notice': {} } });

      const second = await notice('second notice');
      expect(second.status).toBe(200);
      const page = await as(alice, 'GET', `/_matrix/client/v3/rooms/${enc(roomId)}/messages?dir=b&limit=50`);
      const messages = (page.body['chunk'] as Array<{ type: string; sender: string; content: { body?: string } }>).filter((e) => e.type === 'm.room.message');
      expect(messages.map((e) => [e.sender, e.content.body])).toEqual([
        ['@notices:notices.test', 'second notice'],
        ['@notices:notices.test', 'first notice'],
      ]);
      const member = await as(alice, 'GET', `/_matrix/client/v3/rooms/${enc(roomId)}/state/m.room.member/${enc('@notices:notices.test')}`);
      expect(member.body).toMatchObject({ displayname: 'Notices Bot', avatar_url: 'mxc://notices.test/bot' });
      // Only the system user writes there.
      const reply = await as(alice, 'PUT', `/_matrix/client/v3/rooms/${enc(roomId)}/send/m.room.message/t1`, { msgtype: 'm.text', body: 'hi' });
      expect(reply.status).toBe(403);
    });

    it('sends once per transaction ID with PUT, and refuses unknown, remote and malformed targets', async () => {
      const once = await notice('idempotent', 'txn1');
      const again = await notice('idempotent', 'txn1');
      expect(once.status).toBe(200);
      expect(again.body['event_id']).toBe(once.body['event_id']);
      const to = (user_id: unknown, content: unknown = { msgtype: 'm.text', body: 'x' }) => as(admin, 'POST', '/_synapse/admin/v1/send_server_notice', { user_id, content });
      expect((await to('@nobody:notices.test')).status).toBe(404);
      expect((await to('@bob:elsewhere.test')).status).toBe(400);
      expect((await to('not a user')).status).toBe(400);
      expect((await to(alice.userId, 'text')).status).toBe(400);
      expect((await as(alice, 'POST', '/_synapse/admin/v1/send_server_notice', { user_id: alice.userId, content: {} })).status).toBe(403);
    });
  });
}
