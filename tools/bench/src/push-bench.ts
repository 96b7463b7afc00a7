// Push notification benchmark of the monolith (apps/main as a child process): users spread over
// rooms, each with one HTTP pusher pointing at a push gateway in this process; messages sent by
// room members at full speed with concurrent senders. Prints notifications/s reaching the
// gateway and the time from each send (request start) to each of its pushes, p50/p99.
//
//   npx node tools/bench/src/push-bench.ts [--storage=pglite|postgres] [--users=1000] [--rooms=100]
//     [--messages=300] [--senders=10]
import { parseArgs } from 'node:util';
import { startPushGateway } from '@homeserver/testing';
import { startChildServer, type StorageMode } from './client-api/child-server.ts';
import { createRoom, inParallel, joinRoom, percentile, registerUser, request, sendText, type BenchUser } from './client-api/client.ts';

const { values } = parseArgs({
  options: {
    storage: { type: 'string', default: 'pglite' },
    users: { type: 'string', default: '1000' },
    rooms: { type: 'string', default: '100' },
    messages: { type: 'string', default: '300' },
    senders: { type: 'string', default: '10' },
  },
});
const storage = values.storage as StorageMode;
if (storage !== 'pglite' && storage !== 'postgres') throw new Error(`--storage must be pglite or postgres, got ${JSON.stringify(values.storage)}`);
const USERS = Number(values.users);
const ROOMS = Number(values.rooms);
const MESSAGES = Number(values.messages);
const SENDERS = Number(values.senders);
if (!(USERS >= 2 * ROOMS)) throw new Error(`--users must be at least twice --rooms (every room needs a sender and someone to notify), got ${USERS} users for ${ROOMS} rooms`);

const out = (line: string) => process.stdout.write(`${line}\n`);
const ms = (n: number) => `${n.toFixed(0)} ms`;

out(`push-bench: ${storage}; ${USERS} users with one pusher each in ${ROOMS} rooms, ${MESSAGES} messages from ${SENDERS} concurrent senders; machine: ${(await import('node:os')).cpus().length} cores, shared (numbers are indicative)`);
const gateway = await startPushGateway();
const server = await startChildServer(storage);
try {
  const setupStart = performance.now();
  const users: BenchUser[] = new Array(USERS);
  await inParallel([...Array(USERS).keys()], 16, async (i) => {
    users[i] = await registerUser(server.baseUrl, `push${i}`);
    await request(server.baseUrl, 'POST', '/_matrix/client/v3/pushers/set', {
      token: users[i]!.token,
      body: { kind: 'http', app_id: 'bench', app_display_name: 'Bench', device_display_name: 'Bench', pushkey: users[i]!.userId, lang: 'en', data: { url: gateway.url, format: 'event_id_only' } },
    });
  });
  // Room r holds users r, r + ROOMS, r + 2 ROOMS...; its first member created it.
  const members = (r: number) => users.filter((_, i) => i % ROOMS === r);
  const rooms: string[] = new Array(ROOMS);
  await inParallel([...Array(ROOMS).keys()], 8, async (r) => {
    const [creator, ...others] = members(r);
    rooms[r] = await createRoom(server.baseUrl, creator!, `push room ${r}`);
    for (const member of others) await joinRoom(server.baseUrl, member, rooms[r]!);
  });
  out(`setup: ${((performance.now() - setupStart) / 1000).toFixed(1)} s`);

  // Each message notifies every other member of its room.
  const expected = [...Array(MESSAGES).keys()].reduce((sum, m) => sum + members(m % ROOMS).length - 1, 0);
  const sentAt = new Map<string, number>();
  const before = gateway.received.length;
  const start = performance.now();
  const startEpoch = Date.now();
  await inParallel([...Array(MESSAGES).keys()], SENDERS, async (m) => {
    const r = m % ROOMS;
    const roomMembers = members(r);
    const sender = roomMembers[Math.floor(m / ROOMS) % roomMembers.length]!;
    const at = Date.now();
    const eventId = await sendText(server.baseUrl, sender, rooms[r]!, `message ${m}`);
    sentAt.set(eventId, at);
  });
  const sendSeconds = (performance.now() - start) / 1000;
  await gateway.waitFor((received) => received.length - before >= expected, 600_000);
  const pushes = gateway.received.slice(before);
  const lastAt = Math.max(...pushes.map((push) => push.at));
  const seconds = (lastAt - startEpoch) / 1000;
  const latencies = pushes.map((push) => push.at - (sentAt.get(String(push.notification['event_id'])) ?? push.at)).sort((a, b) => a - b);
  out(`sent ${MESSAGES} messages in ${sendSeconds.toFixed(1)} s (${(MESSAGES / sendSeconds).toFixed(0)} msg/s)`);
  out(`pushes: ${pushes.length}/${expected} reached the gateway in ${seconds.toFixed(1)} s = ${(pushes.length / seconds).toFixed(0)} notifications/s`);
  out(`send->gateway: p50 ${ms(percentile(latencies, 50))}, p99 ${ms(percentile(latencies, 99))}, max ${ms(latencies.at(-1) ?? Number.NaN)}`);
} finally {
  await server.stop();
  await gateway.close();
}
