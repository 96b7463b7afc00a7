// Application service benchmark of the monolith (apps/main as a child process): an appservice in
// this process (registered through app_service_config_files) has a user joined to every room;
// messages are sent by room members at full speed with concurrent senders. Prints events/s and
// transactions/s reaching the appservice and the time from each send (request start) to the
// transaction carrying it, p50/p99.
//
//   npx node tools/bench/src/appservice-bench.ts [--storage=pglite|postgres] [--rooms=20] [--messages=1000] [--senders=10]
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { appserviceRegistrationYaml, startTestAppservice } from '@homeserver/testing';
import { startChildServer, type StorageMode } from './client-api/child-server.ts';
import { createRoom, inParallel, percentile, registerUser, request, sendText, type BenchUser } from './client-api/client.ts';

const { values } = parseArgs({
  options: {
    storage: { type: 'string', default: 'pglite' },
    rooms: { type: 'string', default: '20' },
    messages: { type: 'string', default: '1000' },
    senders: { type: 'string', default: '10' },
  },
});
const storage = values.storage as StorageMode;
if (storage !== 'pglite' && storage !== 'postgres') throw new Error(`--storage must be pglite or postgres, got ${JSON.stringify(values.storage)}`);
const ROOMS = Number(values.rooms);
const MESSAGES = Number(values.messages);
const SENDERS = Number(values.senders);
const AS_TOKEN = 'bench-as-token';

const out = (line: string) => process.stdout.write(`${line}\n`);
const ms = (n: number) => `${n.toFixed(0)} ms`;

out(`appservice-bench: ${storage}; one appservice with a user in ${ROOMS} rooms, ${MESSAGES} messages from ${SENDERS} concurrent senders; machine: ${(await import('node:os')).cpus().length} cores, shared (numbers are indicative)`);
const dir = await mkdtemp(join(tmpdir(), 'hs-as-bench-'));
const appservice = await startTestAppservice({ hsToken: 'bench-hs-token' });
const registration = join(dir, 'bench.yaml');
await writeFile(registration, appserviceRegistrationYaml({ id: 'bench', url: appservice.url, asToken: AS_TOKEN, hsToken: 'bench-hs-token', senderLocalpart: 'benchbot', users: '@bench_.*' }));
const server = await startChildServer(storage, { extra: { app_service_config_files: [registration] } });
try {
  const ghost = '@bench_ghost:bench.local';
  await request(server.baseUrl, 'POST', '/_matrix/client/v3/register', { token: AS_TOKEN, body: { type: 'm.login.application_service', username: 'bench_ghost' } });
  const users: BenchUser[] = new Array(ROOMS);
  const rooms: string[] = new Array(ROOMS);
  await inParallel([...Array(ROOMS).keys()], 8, async (r) => {
    users[r] = await registerUser(server.baseUrl, `sender${r}`);
    rooms[r] = await createRoom(server.baseUrl, users[r]!, `bridged room ${r}`);
    await request(server.baseUrl, 'POST', `/_matrix/client/v3/join/${encodeURIComponent(rooms[r]!)}?user_id=${encodeURIComponent(ghost)}`, { token: AS_TOKEN, body: {} });
  });
  const isMessage = (event: Record<string, unknown>) => event['type'] === 'm.room.message';
  const before = appservice.transactions.length;
  const sentAt = new Map<string, number>();
  const start = performance.now();
  const startEpoch = Date.now();
  await inParallel([...Array(MESSAGES).keys()], SENDERS, async (m) => {
    const r = m % ROOMS;
    const at = Date.now();
    sentAt.set(await sendText(server.baseUrl, users[r]!, rooms[r]!, `message ${m}`), at);
  });
  const sendSeconds = (performance.now() - start) / 1000;
  const received = () => appservice.transactions.slice(before).flatMap((t) => t.events.filter(isMessage).map((event) => ({ eventId: String(event['event_id']), at: t.at })));
  await appservice.waitFor(() => received().length >= MESSAGES, 600_000);
  const transactions = appservice.transactions.slice(before);
  const events = received();
  const seconds = (Math.max(...transactions.map((t) => t.at)) - startEpoch) / 1000;
  const latencies = events.map((e) => e.at - (sentAt.get(e.eventId) ?? e.at)).sort((a, b) => a - b);
  out(`sent ${MESSAGES} messages in ${sendSeconds.toFixed(1)} s (${(MESSAGES / sendSeconds).toFixed(0)} msg/s)`);
  out(`appservice: ${events.length}/${MESSAGES} events in ${transactions.length} transactions within ${seconds.toFixed(1)} s = ${(events.length / seconds).toFixed(0)} events/s, ${(transactions.length / seconds).toFixed(0)} transactions/s (${(events.length / transactions.length).toFixed(1)} events per transaction)`);
  out(`send->appservice: p50 ${ms(percentile(latencies, 50))}, p99 ${ms(percentile(latencies, 99))}, max ${ms(latencies.at(-1) ?? Number.NaN)}`);
} finally {
  await server.stop();
  await appservice.close();
  await rm(dir, { recursive: true, force: true });
}
