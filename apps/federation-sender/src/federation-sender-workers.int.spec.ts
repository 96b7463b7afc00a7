// Two federation-sender workers (federation_sender_instances: [sender1, sender2]) beside main, as
// OS processes on PostgreSQL over NATS, sending to stand-in destinations (HTTPS servers on
// loopback that deduplicate by transaction ID, as a receiver does):
// - the destinations are split over both senders (each sends only to those whose shards it
//   holds: its federation_sender_sent_total counts only their PDUs);
// - sender2 is killed with SIGKILL while messages flow (its destinations hold their answers, so
//   a transaction is in flight at the kill) and restarted: every PDU reaches every destination
//   exactly once as the receiver applies them, and a transaction resent after the crash carries
//   the same ID and contents.
//
// The remote servers' joins are planted in room_memberships and the current state as the room
// input would store them after a federated join, and the room's persister (main) is asked to
// release the room, so that it loads it again with them (as its view would hold them after a
// federated join: it tags the room's events for the senders only when other servers are in it).
// This test is about the sender, not about joining.
import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { releaseSubject } from '@homeserver/actors';
import { parseXMatrixAuthorization } from '@homeserver/matrix';
// The shard count only (the test process starts no role from this import; the app loads it lazily).
// eslint-disable-next-line @nx/enforce-module-boundaries
import { FEDERATION_SENDER_SHARDS } from '@homeserver/role-federation-sender';
import { shardOf } from '@homeserver/streams';
import {
  clientCall as call,
  createTestCertificate,
  processMetric,
  startFederationStandIn,
  startWorkerCluster,
  type AppProcess,
  type FederationStandIn,
  type WorkerCluster,
} from '@homeserver/testing';
import { authenticateTransport, createTransport } from '@homeserver/transport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const DESTINATIONS = 8;
const SENDERS = ['sender1', 'sender2'];

const outboundActors = (process: AppProcess) => processMetric(process, /^actors_live\{kind="federation-outbound"[^}]*\} (\d+)/m);
const sentPdus = async (process: AppProcess) => (await processMetric(process, /^federation_sender_sent_total\{[^}]*what="pdus"[^}]*\} (\d+)/m)) ?? 0;

describe('federation senders sharding destinations, surviving kill -9', () => {
  let cluster: WorkerCluster;
  const destinations: FederationStandIn[] = [];
  let base: string;
  let token: string;
  let roomId: string;
  const sent: string[] = [];

  const send = async (body: string) => {
    const answer = await call(base, 'PUT', `/rooms/${encodeURIComponent(roomId)}/send/m.room.message/${randomUUID()}`, token, { msgtype: 'm.text', body });
    sent.push(String(answer['event_id']));
  };
  const hasEverything = (d: FederationStandIn) => () => sent.every((id) => d.eventIds().includes(id));

  beforeAll(async () => {
    const certificate = await createTestCertificate(await mkdtemp(join(tmpdir(), 'fed-sender-workers-')));
    // At least DESTINATIONS, and every shard with one (so both senders have destinations however the shards fall).
    const shardsCovered = () => new Set(destinations.map((d) => shardOf(d.serverName, FEDERATION_SENDER_SHARDS))).size === FEDERATION_SENDER_SHARDS;
    while (destinations.length < DESTINATIONS || !shardsCovered()) destinations.push(await startFederationStandIn(certificate));
    cluster = await startWorkerCluster({
      workerApp: 'federation-sender',
      workerNames: SENDERS,
      config: {
        federation_sender_instances: SENDERS,
        // Only the senders connect to other servers; main's requests go through them.
        outbound_federation_restricted_to: SENDERS,
        federation: { destination_min_retry_interval: '1s', destination_max_retry_interval: '5s' },
        // The stand-ins listen on loopback with a certificate of their own.
        federation_custom_ca_list: [certificate.certificatePath],
        ip_range_whitelist: ['127.0.0.1/32'],
      },
    });
    base = cluster.base;
    const db = cluster.db;
    const alice = await call(base, 'POST', '/register', undefined, { username: 'alice', password: 'correct horse battery', auth: { type: 'm.login.dummy' } });
    token = String(alice['access_token']);
    roomId = String((await call(base, 'POST', '/createRoom', token, { preset: 'public_chat' }))['room_id']);
    const { rows } = await db.query<{ o: number }>('SELECT max(stream_ordering) AS o FROM events WHERE room_id = $1', [roomId]);
    for (const destination of destinations) {
      const userId = `@bob:${destination.serverName}`;
      const eventId = `$planted-join-${destination.serverName}`;
      const at = Number(rows[0]!.o);
      await db.query("INSERT INTO room_memberships (event_id, room_id, user_id, sender, membership, stream_ordering) VALUES ($1, $2, $3, $3, 'join', $4)", [eventId, roomId, userId, at]);
      await db.query("INSERT INTO current_state_events (room_id, type, state_key, event_id, membership, stream_ordering) VALUES ($1, 'm.room.member', $2, $3, 'join', $4)", [roomId, userId, eventId, at]);
    }
    const bus = authenticateTransport(await createTransport({ kind: 'nats', servers: cluster.nats.url }), { secret: 'federation-sender-workers' });
    try {
      await bus.request(releaseSubject('main'), new TextEncoder().encode(JSON.stringify({ kind: 'room', key: roomId })), { timeoutMs: 10_000 });
    } finally {
      await bus.close();
    }
  }, 240_000);

  afterAll(async () => {
    await cluster?.stop();
    for (const destination of destinations) await destination.close();
  });

  it('splits the destinations over both senders, each sending only to its own', async () => {
    const held = await cluster.waitForShardsSplit('federation-sender', FEDERATION_SENDER_SHARDS, SENDERS);
    expect(new Set(held.values())).toEqual(new Set(['sender1', 'sender2']));
    for (let i = 0; i < 3; i++) await send(`hello ${i}`);
    await Promise.all(destinations.map((d) => d.waitFor(hasEverything(d))));
    const holderOf = (d: FederationStandIn) => held.get(shardOf(d.serverName, FEDERATION_SENDER_SHARDS));
    const pdusOf = (sender: string) => destinations.filter((d) => holderOf(d) === sender).reduce((n, d) => n + d.eventIds().length, 0);
    expect(pdusOf('sender1')).toBeGreaterThan(0);
    expect(pdusOf('sender2')).toBeGreaterThan(0);
    expect(await sentPdus(cluster.workers.get('sender1')!)).toBe(pdusOf('sender1'));
    expect(await sentPdus(cluster.workers.get('sender2')!)).toBe(pdusOf('sender2'));
    for (const d of destinations) {
      expect(d.eventIds()).toEqual(sent);
      // Sent through the federation client: signed by us, for this destination.
      for (const t of d.transactions) {
        expect(t.origin).toBe('test.local');
        expect(parseXMatrixAuthorization(t.authorization ?? '')).toMatchObject({ origin: 'test.local', destination: d.serverName });
      }
    }
  }, 120_000);

  it('delivers every PDU to every destination once after sender2 is killed mid-transaction and restarted', async () => {
    const held = await cluster.leaseHolders('federation-sender');
    const ofSender2 = destinations.filter((d) => held.get(shardOf(d.serverName, FEDERATION_SENDER_SHARDS)) === 'sender2');
    expect(ofSender2.length).toBeGreaterThan(0);
    for (const d of ofSender2) d.hold();
    await send('during 0');
    await Promise.all(ofSender2.map((d) => d.waitFor(() => d.held > 0)));
    await cluster.workers.get('sender2')!.stop('SIGKILL');
    for (let i = 1; i < 5; i++) await send(`during ${i}`);
    for (const d of ofSender2) d.release();
    await cluster.startWorker('sender2');
    for (let i = 0; i < 3; i++) await send(`after ${i}`);
    await Promise.all(destinations.map((d) => d.waitFor(hasEverything(d), 120_000)));

    for (const d of destinations) {
      // Applied once each, in order: no PDU in two distinct transactions.
      expect(d.eventIds()).toEqual(sent);
      // A transaction sent again (after the crash) is the same transaction.
      for (const again of d.duplicates) {
        const first = d.transactions.find((t) => t.txnId === again.txnId)!;
        expect(again.pdus).toEqual(first.pdus);
        expect(again.edus).toEqual(first.edus);
      }
    }
    // The transactions in flight at the kill were resent under their IDs.
    expect(ofSender2.some((d) => d.duplicates.length > 0)).toBe(true);
  }, 240_000);

  it('sends main\'s own federation requests through the senders (outbound_federation_restricted_to)', async () => {
    const destination = destinations[0]!;
    const bob = `@bob:${destination.serverName}`;
    // The stand-in has no profile API: it answers 404, which is what main reports; the request
    // itself was made by a sender, as the actors each process hosts show.
    const answer = await fetch(`${base}/_matrix/client/v3/profile/${encodeURIComponent(bob)}`, { headers: { authorization: `Bearer ${token}` } });
    expect(answer.status).toBe(404);
    expect(destination.requests.some((r) => r.startsWith('GET /_matrix/federation/v1/query/profile?'))).toBe(true);
    expect(await outboundActors(cluster.main)).toBeUndefined();
    const viaSenders = await Promise.all([...cluster.workers.values()].map(outboundActors));
    expect(viaSenders.reduce((n: number, v) => n + (v ?? 0), 0)).toBeGreaterThan(0);
  });
});
