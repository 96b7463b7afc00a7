// Benchmark: joining a room of M members and E events held by another instance of this server,
// both real processes on PostgreSQL federating over TLS on loopback (startFederationCluster).
// The resident's members are users of an application service (no password hashing to pay for
// while the room is built); the timed part is one client's POST /join on the other server
// (make_join, send_join with the full state and auth chain, every signature and auth check,
// one commit), then the first /sync that shows the room with its members.
// Run: npx node tools/bench/src/remote-join-cluster-bench.ts [--members=1000] [--events=5000] [--concurrency=20]
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { appserviceRegistrationYaml, ClusterClient, startFederationCluster } from '@homeserver/testing';

const arg = (name: string, fallback: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const members = Number(arg('members', '1000'));
const events = Number(arg('events', '5000'));
const concurrency = Number(arg('concurrency', '20'));
const AS_TOKEN = 'bench-as-token';

/** Runs `work(i)` for i in [0, n) with at most `concurrency` at once. */
async function pool(n: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, async () => {
    while (next < n) await work(next++);
  }));
}

function check(answer: { status: number; json: unknown }, what: string): void {
  if (answer.status !== 200) throw new Error(`${what}: ${answer.status} ${JSON.stringify(answer.json)}`);
}

const dir = await mkdtemp(join(tmpdir(), 'hs-bench-join-'));
const registration = join(dir, 'bench-as.yaml');
await writeFile(registration, appserviceRegistrationYaml({ id: 'bench', url: null, asToken: AS_TOKEN, hsToken: 'bench-hs-token', senderLocalpart: 'benchbot', users: '@m_.*' }));
const cluster = await startFederationCluster({ extraFor: (i) => (i === 1 ? { app_service_config_files: [registration] } : {}) });
try {
  const [ours, resident] = cluster.members as [(typeof cluster.members)[number], (typeof cluster.members)[number]];
  const built = performance.now();
  const bot = new ClusterClient(resident.clientUrl);
  bot.token = AS_TOKEN;
  const room = await bot.call('POST', '/createRoom', { preset: 'public_chat' });
  check(room, 'createRoom');
  const roomId = String(room.json['room_id']);
  const as = (localpart: string) => `user_id=${encodeURIComponent(`@${localpart}:${resident.serverName}`)}`;
  await pool(members - 1, async (i) => {
    check(await bot.call('POST', '/register', { type: 'm.login.application_service', username: `m_${i}` }), `register m_${i}`);
    check(await bot.call('POST', `/join/${encodeURIComponent(roomId)}?${as(`m_${i}`)}`, {}), `join m_${i}`);
  });
  const messages = Math.max(0, events - members - 5);
  await pool(messages, async (i) => {
    const path = `/rooms/${encodeURIComponent(roomId)}/send/m.room.message/${randomUUID()}?${as(`m_${i % (members - 1)}`)}`;
    check(await bot.call('PUT', path, { msgtype: 'm.text', body: `message ${i}` }), `send ${i}`);
  });
  process.stdout.write(`resident ${resident.serverName}: room of ${members} members and ~${events} events built in ${((performance.now() - built) / 1000).toFixed(1)} s\n`);

  const alice = new ClusterClient(ours.clientUrl);
  await alice.register('alice');
  const started = performance.now();
  const joined = await alice.call('POST', `/join/${encodeURIComponent(roomId)}?server_name=${encodeURIComponent(resident.serverName)}`, {}, 600_000);
  check(joined, 'remote join');
  const joinMs = performance.now() - started;
  const filter = JSON.stringify({ room: { timeline: { limit: 1 }, state: { lazy_load_members: false } } });
  const sync = await alice.call('GET', `/sync?filter=${encodeURIComponent(filter)}`, undefined, 600_000);
  check(sync, 'first /sync');
  const syncMs = performance.now() - started - joinMs;
  const state = (sync.json['rooms']?.['join']?.[roomId]?.['state']?.['events'] ?? []) as Array<{ type: string }>;
  const memberEvents = state.filter((e) => e.type === 'm.room.member').length;
  process.stdout.write(
    `join of a remote room (${members} members, ~${events} events) over TLS: POST /join ${(joinMs / 1000).toFixed(2)} s; first /sync ${(syncMs / 1000).toFixed(2)} s with ${state.length} state events (${memberEvents} members)\n`,
  );
} finally {
  await cluster.close();
}
