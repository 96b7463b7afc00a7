/* eslint-disable @typescript-eslint/no-explicit-any -- sync bodies are deep JSON checked field by field */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSyncEnv, type SyncEnv } from '../testing/sync-env.ts';

let env: SyncEnv;
beforeAll(async () => {
  env = await openSyncEnv();
});
afterAll(async () => {
  expect(env.violations).toEqual([]);
  await env.close();
});

const senders = (body: any, except: string) => body.presence.events.filter((p: any) => p.sender !== except).map((p: any) => [p.sender, p.content.presence]);

describe('presence of users newly sharing a room (incremental sync)', () => {
  it('a user joining a room gets the current presence of its members, once', async () => {
    const [host, guest] = ['@host1:test', '@guest1:test'];
    await env.rooms.createRoom('!newcomer1:test', host);
    await env.sync(host); // host goes online, long before the guest's window
    const first = await env.sync(guest);
    await env.rooms.join('!newcomer1:test', guest);
    const next = await env.sync(guest, { since: first.body.next_batch });
    expect(senders(next.body, guest)).toEqual([[host, 'online']]);
    const again = await env.sync(guest, { since: next.body.next_batch, timeout: '0' });
    expect(again.body.presence.events).toEqual([]);
  });

  it('a newcomer who never set any presence comes as offline', async () => {
    const [host, guest] = ['@host3:test', '@guest3:test'];
    await env.rooms.createRoom('!newcomer3:test', host);
    const first = await env.sync(guest, { set_presence: 'offline' });
    await env.rooms.join('!newcomer3:test', guest);
    const next = await env.sync(guest, { since: first.body.next_batch, set_presence: 'offline' });
    expect(next.body.presence.events).toEqual([{ type: 'm.presence', sender: host, content: { presence: 'offline' } }]);
  });

  it("the members of a room get a user's current presence when the user joins it", async () => {
    const [host, guest] = ['@host2:test', '@guest2:test'];
    await env.rooms.createRoom('!newcomer2:test', host);
    await env.sync(guest); // the guest is online before the host's window
    const first = await env.sync(host);
    await env.rooms.join('!newcomer2:test', guest);
    const next = await env.sync(host, { since: first.body.next_batch });
    expect(senders(next.body, host)).toEqual([[guest, 'online']]);
  });
});
