// Outbound federation fan-out of the monolith (apps/main as a child process on PostgreSQL): one
// room with members on N other servers (HTTPS stand-ins in this process, deduplicating by
// transaction ID as receivers do), one message at a time. Prints the time from the send request
// to the first and to the last destination receiving the event, p50/p99 over the rounds.
//
// The remote members' joins are planted in room_memberships, as the room input stores them
// after federated joins: the bench measures the sender, not joining.
//
//   npx node tools/bench/src/federation-fanout-bench.ts [--destinations=20] [--rounds=50]
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '@homeserver/storage';
import { createTestCertificate, startFederationStandIn, type FederationStandIn } from '@homeserver/testing';
import { startChildServer } from './client-api/child-server.ts';
import { createRoom, percentile, registerUser, sendText } from './client-api/client.ts';

const { values } = parseArgs({ options: { destinations: { type: 'string', default: '20' }, rounds: { type: 'string', default: '50' } } });
const DESTINATIONS = Number(values.destinations);
const ROUNDS = Number(values.rounds);
if (!(DESTINATIONS >= 1 && ROUNDS >= 1)) throw new Error(`--destinations and --rounds must be positive integers, got ${values.destinations} and ${values.rounds}`);

const out = (line: string) => process.stdout.write(`${line}\n`);
const ms = (n: number) => `${n.toFixed(1)} ms`;

out(`federation-fanout-bench: postgres; 1 room, ${DESTINATIONS} destinations, ${ROUNDS} messages one at a time; machine: ${(await import('node:os')).cpus().length} cores, shared (numbers are indicative)`);
const certificate = await createTestCertificate(await mkdtemp(join(tmpdir(), 'fanout-bench-')));
const destinations: FederationStandIn[] = [];
for (let i = 0; i < DESTINATIONS; i++) destinations.push(await startFederationStandIn(certificate));
const server = await startChildServer('postgres', {
  // A first attempt that fails under load is retried within a second, not after Synapse's 10 minutes.
  extra: { federation_custom_ca_list: [certificate.certificatePath], ip_range_whitelist: ['127.0.0.1/32'], federation: { destination_min_retry_interval: '1s' } },
});
const db = await openDatabase(server.postgres!, { migrate: false });
try {
  const alice = await registerUser(server.baseUrl, 'alice');
  const roomId = await createRoom(server.baseUrl, alice, 'fan-out');
  const { rows } = await db.query<{ o: number }>('SELECT max(stream_ordering) AS o FROM events WHERE room_id = $1', [roomId]);
  for (const destination of destinations) {
    await db.query("INSERT INTO room_memberships (event_id, room_id, user_id, sender, membership, stream_ordering) VALUES ($1, $2, $3, $3, 'join', $4)", [
      `$planted-join-${destination.serverName}`,
      roomId,
      `@bob:${destination.serverName}`,
      Number(rows[0]!.o),
    ]);
  }
  const arrivals = async (eventId: string, start: number): Promise<number[]> =>
    Promise.all(
      destinations.map(async (d) => {
        await d.waitFor(() => d.receivedAt(eventId) !== undefined, 60_000);
        return d.receivedAt(eventId)! - start;
      }),
    );
  // Warm-up: connections opened, keys fetched, queues created.
  await arrivals(await sendText(server.baseUrl, alice, roomId, 'warm-up'), Date.now());

  const first: number[] = [];
  const last: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const start = Date.now();
    const eventId = await sendText(server.baseUrl, alice, roomId, `message ${round}`);
    const times = (await arrivals(eventId, start)).sort((a, b) => a - b);
    first.push(times[0]!);
    last.push(times.at(-1)!);
  }
  first.sort((a, b) => a - b);
  last.sort((a, b) => a - b);
  out(`send -> first destination: p50 ${ms(percentile(first, 50))}, p99 ${ms(percentile(first, 99))}`);
  out(`send -> all ${DESTINATIONS} destinations: p50 ${ms(percentile(last, 50))}, p99 ${ms(percentile(last, 99))}, max ${ms(last.at(-1)!)}`);
  const duplicates = destinations.reduce((n, d) => n + d.duplicates.length, 0);
  const applied = destinations.reduce((n, d) => n + d.eventIds().length, 0);
  out(`PDUs applied by the destinations: ${applied} (expected ${(ROUNDS + 1) * DESTINATIONS}); transactions resent: ${duplicates}`);
} finally {
  await db.close();
  await server.stop();
  for (const d of destinations) await d.close();
}
