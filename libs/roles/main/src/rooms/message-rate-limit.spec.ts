// rc_message: a user sending faster than their bucket allows gets 429 M_LIMIT_EXCEEDED with
// retry_after_ms, and other users are unaffected.
import { RateLimiter } from '@homeserver/http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRoomsTestEnv, SERVER, type RoomsTestEnv } from './testing/rooms-test-env.ts';

const alice = `@alice:${SERVER}`;
const bob = `@bob:${SERVER}`;
let env: RoomsTestEnv;
let now = 1_000_000;

beforeAll(async () => {
  env = await openRoomsTestEnv({ messageLimiter: new RateLimiter({ per_second: 1, burst_count: 3 }, { now: () => now }) });
});
afterAll(async () => {
  await env?.close();
});

describe('rc_message on sends', () => {
  it('limits each user separately and lets them send again after the bucket drains', async () => {
    const roomId = await env.createRoom(alice, { preset: 'public_chat' });
    expect((await env.call(bob, 'POST', `/_matrix/client/v3/join/${encodeURIComponent(roomId)}`, {})).status).toBe(200);
    const send = (user: string, txn: string) => env.call(user, 'PUT', `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/send/m.room.message/${txn}`, { msgtype: 'm.text', body: txn });
    for (const txn of ['a1', 'a2', 'a3']) expect((await send(alice, txn)).status).toBe(200);
    const limited = await send(alice, 'a4');
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ errcode: 'M_LIMIT_EXCEEDED', retry_after_ms: 1000 });
    // State changes count too.
    const topic = await env.call(alice, 'PUT', `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/state/m.room.topic`, { topic: 'x' });
    expect(topic.status).toBe(429);
    expect((await send(bob, 'b1')).status).toBe(200);
    now += 1000;
    expect((await send(alice, 'a5')).status).toBe(200);
  });
});
