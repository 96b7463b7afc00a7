// Erasure over HTTP on the monolith, as Synapse applies it: after a deactivation with erase
// (admin API or /account/deactivate), users who join later get the erased user's events redacted
// in /messages, /context and /sync; members who were there when the events were sent keep them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerUser, startAdminTestbed, type AdminTestbed, type TestUser } from './testing/admin-http.ts';
import type { TestHomeserver } from './testing/test-homeserver.ts';

const enc = encodeURIComponent;
type Event = { event_id: string; type: string; sender: string; content: Record<string, unknown> };

describe('erased users seen by later joiners', () => {
  let bed: AdminTestbed;
  let server: TestHomeserver;
  let base: string;
  let admin: TestUser;
  const as = (user: TestUser, method: string, path: string, body?: unknown) => bed.as(user, method, path, body);
  const messagesOf = async (user: TestUser, roomId: string, sender: string): Promise<Event[]> => {
    const page = await as(user, 'GET', `/_matrix/client/v3/rooms/${enc(roomId)}/messages?dir=b&limit=100`);
    expect(page.status).toBe(200);
    return (page.body['chunk'] as Event[]).filter((e) => e.type === 'm.room.message' && e.sender === sender);
  };
  const syncedOf = async (user: TestUser, roomId: string, sender: string): Promise<Event[]> => {
    const filter = JSON.stringify({ room: { timeline: { limit: 100 } } });
    const sync = await as(user, 'GET', `/_matrix/client/v3/sync?filter=${enc(filter)}`);
    const room = (sync.body['rooms'] as { join: Record<string, { timeline: { events: Event[] } }> }).join[roomId]!;
    return room.timeline.events.filter((e) => e.type === 'm.room.message' && e.sender === sender);
  };

  beforeAll(async () => {
    bed = await startAdminTestbed({ serverName: 'erase.test' });
    ({ server, base, admin } = bed);
  }, 240_000);

  afterAll(async () => {
    await server?.stop();
  }, 60_000);

  for (const how of ['admin', 'self'] as const) {
    it(`redacts for later joiners only (erased by ${how})`, async () => {
      const [alice, bob, carol] = await Promise.all(['alice', 'bob', 'carol'].map((name) => registerUser(base, `${name}_${how}`, 'pw-of-user')));
      const roomId = String((await as(alice!, 'POST', '/_matrix/client/v3/createRoom', { preset: 'public_chat' })).body['room_id']);
      expect((await as(bob!, 'POST', `/_matrix/client/v3/join/${enc(roomId)}`, {})).status).toBe(200);
      const sent = await as(bob!, 'PUT', `/_matrix/client/v3/rooms/${enc(roomId)}/send/m.room.message/t1`, { msgtype: 'm.text', body: 'words to forget' });
      const eventId = String(sent.body['event_id']);
      if (how === 'admin') {
        expect((await as(admin, 'POST', `/_synapse/admin/v1/deactivate/${enc(bob!.userId)}`, { erase: true })).status).toBe(200);
      } else {
        const auth = { type: 'm.login.password', identifier: { type: 'm.id.user', user: bob!.userId }, password: 'pw-of-user' };
        const first = await as(bob!, 'POST', '/_matrix/client/v3/account/deactivate', { erase: true });
        const done = await as(bob!, 'POST', '/_matrix/client/v3/account/deactivate', { erase: true, auth: { ...auth, session: first.body['session'] } });
        expect(done.status, JSON.stringify(done.body)).toBe(200);
      }
      expect((await as(carol!, 'POST', `/_matrix/client/v3/join/${enc(roomId)}`, {})).status).toBe(200);

      // Alice was there: she keeps the words.
      expect((await messagesOf(alice!, roomId, bob!.userId)).map((e) => e.content)).toEqual([{ msgtype: 'm.text', body: 'words to forget' }]);
      expect((await syncedOf(alice!, roomId, bob!.userId)).map((e) => e.content['body'])).toEqual(['words to forget']);
      // Carol joined after the erasure: every read path serves the event redacted.
      expect(await messagesOf(carol!, roomId, bob!.userId)).toEqual([expect.objectContaining({ event_id: eventId, content: {} })]);
      expect(await syncedOf(carol!, roomId, bob!.userId)).toEqual([expect.objectContaining({ event_id: eventId, content: {} })]);
      const single = await as(carol!, 'GET', `/_matrix/client/v3/rooms/${enc(roomId)}/event/${enc(eventId)}`);
      expect(single.body['content']).toEqual({});
      const context = await as(carol!, 'GET', `/_matrix/client/v3/rooms/${enc(roomId)}/context/${enc(eventId)}`);
      expect((context.body['event'] as Event).content).toEqual({});
    });
  }
});
