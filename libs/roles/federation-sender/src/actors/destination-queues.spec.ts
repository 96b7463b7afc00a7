// The federation sender's queues on PGlite: who receives a PDU, transaction sizes, one
// transaction in flight per destination, Synapse's backoff, catch-up (latest event per room),
// and transaction IDs that stay the same across a retry and a restart.
import { openDatabase, resetFederationRetry, type Database } from '@homeserver/storage';
import { shardOf } from '@homeserver/streams';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { handleEventRows, pduKeys } from '../consumers/events-consumer.ts';
import { deliver, plantEvent, RecordingClient, unreachable } from '../testing/sender-fixtures.ts';
import { DestinationQueues } from './destination-queues.ts';
import type { RetrySchedule } from './retry-schedule.ts';

const US = 'us.test';
const SHARDS = 4;
const ROOM = '!room:us.test';
const SCHEDULE: RetrySchedule = { minMs: 60_000, multiplier: 2, maxMs: 3_600_000 };

let db: Database;
let client: RecordingClient;
let now: number;
const clock = { now: () => now };
const logger = pino({ level: 'silent' });
const woken: string[] = [];
const consumerDeps = { serverName: US, shards: SHARDS, allows: (server: string) => server !== 'blocked.test', wake: (d: string) => woken.push(d) };
const consumer = { keysOf: pduKeys(consumerDeps), handle: handleEventRows(consumerDeps) };
const queues: DestinationQueues[] = [];

function newQueues(): DestinationQueues {
  const created = new DestinationQueues({ db, client, clock, logger, origin: US, retry: SCHEDULE });
  queues.push(created);
  return created;
}

async function flush(q: DestinationQueues, ...destinations: string[]): Promise<void> {
  for (const d of destinations) q.wake(d);
  await q.idle();
}

async function join(userId: string, roomId = ROOM) {
  return plantEvent(db, { roomId, sender: userId, membership: 'join' });
}

beforeEach(async () => {
  db = await openDatabase({ kind: 'pglite' });
  client = new RecordingClient();
  now = 1_000_000;
  woken.length = 0;
});

afterEach(async () => {
  for (const q of queues.splice(0)) await q.stop();
  await db.close();
});

describe('who receives a PDU', () => {
  it('queues our events for the servers joined before them; not for an invitee (its server had the invite through /invite, as Synapse), later joiners, blocked servers or us', async () => {
    await join('@alice:us.test');
    await join('@bob:a.test');
    await join('@carol:b.test');
    await join('@dan:blocked.test');
    const hello = await plantEvent(db, { roomId: ROOM, sender: '@alice:us.test' });
    const invite = await plantEvent(db, { roomId: ROOM, sender: '@alice:us.test', membership: 'invite', stateKey: '@erin:c.test' });
    await join('@frank:d.test');
    const theirs = await plantEvent(db, { roomId: ROOM, sender: '@bob:a.test' });
    await deliver(db, consumer, [hello, invite, theirs], { shards: SHARDS, shardOf });

    const q = newQueues();
    await flush(q, 'a.test', 'b.test', 'c.test', 'd.test', 'blocked.test');
    expect(client.received('a.test')).toEqual([hello.data.eventId, invite.data.eventId]);
    expect(client.received('b.test')).toEqual([hello.data.eventId, invite.data.eventId]);
    expect(client.received('c.test')).toEqual([]);
    expect(client.received('d.test')).toEqual([]);
    expect(client.received('blocked.test')).toEqual([]);
    expect(client.sent.every((t) => t.body.origin === US)).toBe(true);
    expect(new Set(woken)).toEqual(new Set(['a.test', 'b.test']));
  });

  it('a member who left before the event no longer receives it', async () => {
    await join('@alice:us.test');
    await join('@bob:a.test');
    await plantEvent(db, { roomId: ROOM, sender: '@bob:a.test', membership: 'leave' });
    const after = await plantEvent(db, { roomId: ROOM, sender: '@alice:us.test' });
    await deliver(db, consumer, [after], { shards: SHARDS, shardOf });
    await flush(newQueues(), 'a.test');
    expect(client.received('a.test')).toEqual([]);
  });
});

describe('transactions', () => {
  it('carry at most 50 PDUs, oldest first, one in flight per destination', async () => {
    await join('@alice:us.test');
    await join('@bob:a.test');
    const events = [];
    for (let i = 0; i < 120; i++) events.push(await plantEvent(db, { roomId: ROOM, sender: '@alice:us.test' }));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    client.answer = () => gate;
    await deliver(db, consumer, events.slice(0, 60), { shards: SHARDS, shardOf });
    const q = newQueues();
    q.wake('a.test');
    // More arrives and wakes the queue while the first transaction is unanswered.
    await deliver(db, consumer, events.slice(60), { shards: SHARDS, shardOf });
    for (let i = 0; i < 5; i++) q.wake('a.test');
    release();
    await q.idle();
    expect(client.sent.map((t) => t.body.pdus.length)).toEqual([50, 50, 20]);
    expect(client.received('a.test')).toEqual(events.map((e) => e.data.eventId));
    expect(client.maxInFlightPerDestination).toBe(1);
    expect(new Set(client.sent.map((t) => t.txnId)).size).toBe(3);
  });
});

describe('failures', () => {
  beforeEach(async () => {
    await join('@alice:us.test');
    await join('@bob:a.test');
  });

  it('back off on Synapse schedule, resend the same transaction, and reset once answered', async () => {
    const first = await plantEvent(db, { roomId: ROOM, sender: '@alice:us.test' });
    await deliver(db, consumer, [first], { shards: SHARDS, shardOf });
    client.answer = (txn) => {
      throw unreachable(txn.destination);
    };
    const q = newQueues();
    await flush(q, 'a.test');
    expect(client.attempts).toHaveLength(1);
    const { rows } = await db.query<{ retry_interval: number; failure_ts: number }>("SELECT retry_interval, failure_ts FROM federation_destinations WHERE destination = 'a.test'");
    expect(rows[0]).toEqual({ retry_interval: SCHEDULE.minMs, failure_ts: now });

    // Not before the interval is over, however often it is woken (a fresh process reads the same).
    now += SCHEDULE.minMs - 1;
    await flush(newQueues(), 'a.test');
    expect(client.attempts).toHaveLength(1);

    now += 1;
    await flush(newQueues(), 'a.test');
    expect(client.attempts).toHaveLength(2);
    expect(client.attempts[1]!.txnId).toBe(client.attempts[0]!.txnId);
    const second = await db.query<{ retry_interval: number }>("SELECT retry_interval FROM federation_destinations WHERE destination = 'a.test'");
    expect(second.rows[0]!.retry_interval).toBeGreaterThanOrEqual(SCHEDULE.minMs * 2 * 0.8);

    client.answer = () => {};
    now += SCHEDULE.maxMs;
    await flush(newQueues(), 'a.test');
    expect(client.sent.map((t) => t.txnId)).toEqual([client.attempts[0]!.txnId]);
    expect(client.received('a.test')).toEqual([first.data.eventId]);
    const healthy = await db.query<{ retry_interval: number; failure_ts: number | null }>("SELECT retry_interval, failure_ts FROM federation_destinations WHERE destination = 'a.test'");
    expect(healthy.rows[0]).toEqual({ retry_interval: 0, failure_ts: null });
  });

  it('retry at once after the stored backoff is reset (the destination was heard from), however often woken before', async () => {
    const first = await plantEvent(db, { roomId: ROOM, sender: '@alice:us.test' });
    await deliver(db, consumer, [first], { shards: SHARDS, shardOf });
    client.answer = (txn) => {
      throw unreachable(txn.destination);
    };
    const q = newQueues();
    await flush(q, 'a.test');
    client.answer = () => {};
    for (let i = 0; i < 3; i++) await flush(q, 'a.test');
    expect(client.attempts).toHaveLength(1);
    await resetFederationRetry(db, 'a.test');
    await flush(q, 'a.test');
    expect(client.received('a.test')).toEqual([first.data.eventId]);
  });

  it('catch up with the latest event of each room once the destination is back', async () => {
    const other = '!other:us.test';
    await join('@alice:us.test', other);
    await join('@bob:a.test', other);
    const first = await plantEvent(db, { roomId: ROOM, sender: '@alice:us.test' });
    await deliver(db, consumer, [first], { shards: SHARDS, shardOf });
    client.answer = (txn) => {
      throw unreachable(txn.destination);
    };
    await flush(newQueues(), 'a.test');
    // While it is down: three events in one room, two in the other.
    const missed = [];
    for (const roomId of [ROOM, ROOM, other, ROOM, other]) missed.push(await plantEvent(db, { roomId, sender: '@alice:us.test' }));
    await deliver(db, consumer, missed, { shards: SHARDS, shardOf });
    client.answer = () => {};
    now += SCHEDULE.minMs;
    await flush(newQueues(), 'a.test');
    // The transaction in flight goes first, unchanged; then only each room's newest event.
    expect(client.sent.map((t) => t.body.pdus.map((p) => p.event_id))).toEqual([[first.data.eventId], [missed[3]!.data.eventId, missed[4]!.data.eventId]]);
  });

  it('drop a transaction the destination refuses with a 4xx instead of retrying it forever', async () => {
    const refused = await plantEvent(db, { roomId: ROOM, sender: '@alice:us.test' });
    await deliver(db, consumer, [refused], { shards: SHARDS, shardOf });
    client.answer = (txn) => {
      if (txn.body.pdus.some((p) => p.event_id === refused.data.eventId)) throw Object.assign(unreachable(txn.destination), { status: 400 });
    };
    const q = newQueues();
    await flush(q, 'a.test');
    const next = await plantEvent(db, { roomId: ROOM, sender: '@alice:us.test' });
    await deliver(db, consumer, [next], { shards: SHARDS, shardOf });
    await flush(q, 'a.test');
    expect(client.attempts).toHaveLength(2);
    expect(client.received('a.test')).toEqual([next.data.eventId]);
  });

  it('retry a transaction answered 401 (the destination could not check our key yet) instead of dropping it', async () => {
    const event = await plantEvent(db, { roomId: ROOM, sender: '@alice:us.test' });
    await deliver(db, consumer, [event], { shards: SHARDS, shardOf });
    client.answer = (txn) => {
      throw Object.assign(unreachable(txn.destination), { status: 401 });
    };
    await flush(newQueues(), 'a.test');
    client.answer = () => {};
    now += SCHEDULE.minMs;
    await flush(newQueues(), 'a.test');
    expect(client.attempts.map((t) => t.txnId)).toEqual([client.attempts[0]!.txnId, client.attempts[0]!.txnId]);
    expect(client.received('a.test')).toEqual([event.data.eventId]);
  });

  it('a process that died mid-send leaves a transaction the next one resends with the same ID', async () => {
    const events = [];
    for (let i = 0; i < 3; i++) events.push(await plantEvent(db, { roomId: ROOM, sender: '@alice:us.test' }));
    await deliver(db, consumer, events, { shards: SHARDS, shardOf });
    // The destination gets the transaction, but the sender dies before hearing the answer.
    let dying = true;
    client.answer = async () => {
      if (dying) await new Promise<void>(() => {});
    };
    const crashed = newQueues();
    crashed.wake('a.test');
    while (client.attempts.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    queues.splice(queues.indexOf(crashed), 1); // never stopped: as if killed
    dying = false;
    await flush(newQueues(), 'a.test');
    expect(client.attempts.map((t) => t.txnId)).toEqual([client.attempts[0]!.txnId, client.attempts[0]!.txnId]);
    expect(client.received('a.test')).toEqual(events.map((e) => e.data.eventId));
  });
});
