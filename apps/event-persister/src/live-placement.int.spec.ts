// Live placement changes in a worker cluster (main, sync1, persister1, persister2 as separate OS
// processes on PostgreSQL, over NATS and over Redis): under a steady load of sends and /sync
// long-polls, a third persister is added (the shared file lists it, then it starts) and then
// persister1 is removed (the file drops it, then it stops), and no other process restarts.
// Every acknowledged send is in the database and reaches the syncing client exactly once, and
// /sync never answers anything but 200. A send may fail while its room moves (503); the client
// retries it under the same transaction id, as Matrix clients do.
import { writeFile } from 'node:fs/promises';
import { RendezvousPlacement } from '@homeserver/actors';
import { openDatabase, type Database } from '@homeserver/storage';
import { createTestDatabase, type TestPostgres } from '@homeserver/storage/testing';
import {
  ClusterClient,
  startAppProcess,
  TEST_BUSES,
  testHomeserverConfig,
  writeConfigFiles,
  type AppProcess,
  type TestServer,
} from '@homeserver/testing';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';

const buses = TEST_BUSES;

const ROOMS = 6;
const SENDERS = 3;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(buses)('adding and removing an event persister under load over $name', (bus) => {
  let pg: TestPostgres;
  let server: TestServer;
  const processes = new Map<string, AppProcess>();
  let db: Database;
  let paths: Record<string, string>;
  let writeShared: (events: string[]) => Promise<void>;

  const start = async (app: string, name: string, files: string[]) => {
    const process = await startAppProcess(app, { configFiles: files });
    processes.set(name, process);
    return process;
  };

  beforeAll(async () => {
    [pg, server] = await Promise.all([createTestDatabase(), bus.start()]);
    const listeners = [{ port: 0, bind_addresses: ['127.0.0.1'], type: 'http', resources: [{ names: ['client', 'health', 'metrics'] }] }];
    const shared = (events: string[]) =>
      JSON.stringify(testHomeserverConfig({ postgres: pg.options, extra: { ...bus.yaml(server), worker_replication_secret: 'live-placement-secret', listeners, stream_writers: { events } } }));
    const persister = (name: string) => JSON.stringify({ worker_app: 'event-persister', worker_name: name, worker_listeners: [{ port: 0, type: 'http', resources: [{ names: ['health'] }] }] });
    paths = await writeConfigFiles({
      'homeserver.yaml': shared(['persister1', 'persister2']),
      'persister1.yaml': persister('persister1'),
      'persister2.yaml': persister('persister2'),
      'persister3.yaml': persister('persister3'),
      'sync1.yaml': JSON.stringify({ worker_app: 'sync', worker_name: 'sync1', worker_listeners: listeners }),
    });
    writeShared = (events) => writeFile(paths['homeserver.yaml']!, shared(events));
    const home = paths['homeserver.yaml']!;
    await start('event-persister', 'persister1', [home, paths['persister1.yaml']!]);
    await start('event-persister', 'persister2', [home, paths['persister2.yaml']!]);
    await start('sync', 'sync1', [home, paths['sync1.yaml']!]);
    await start('main', 'main', [home]);
    db = await openDatabase(pg.options, { migrate: false });
  }, 300_000);

  let failed = false;
  afterAll(async () => {
    if (failed || process.env['LIVE_PLACEMENT_DEBUG']) {
      for (const [name, app] of processes) for (const line of app.logs) if (Number(line['level']) >= 40) console.log(name, JSON.stringify(line).slice(0, 600));
    }
    for (const app of [...processes.values()].reverse()) await app.stop('SIGKILL');
    processes.clear();
    await db?.close();
    await server?.stop();
    await pg?.drop();
  });

  it('loses no acknowledged send, duplicates none, and /sync answers 200 throughout', async () => {
    // On failure the processes' warnings and errors are printed (afterAll), to show where it stuck.
    onTestFailed(() => {
      failed = true;
    });
    const edge = `http://127.0.0.1:${processes.get('main')!.addresses[0]!.port}`;
    const syncBase = `http://127.0.0.1:${processes.get('sync1')!.addresses[0]!.port}`;
    const alice = new ClusterClient(edge);
    const bob = new ClusterClient(edge);
    await alice.register(`alice${bus.name}`);
    await bob.register(`bob${bus.name}`);
    // Room IDs are random: rooms are made until persister3 will own one once it joins, and
    // persister1 one before it leaves (with six rooms, about one run in eleven gave persister3
    // none, and the test waited for it to write forever).
    const withThird = new RendezvousPlacement({ instances: { room: ['persister1', 'persister2', 'persister3'] } });
    const rooms: string[] = [];
    const owners = () => new Set(rooms.map((room) => withThird.instanceFor('room', room)));
    while (rooms.length < ROOMS || !owners().has('persister3') || !owners().has('persister1')) {
      expect(rooms.length).toBeLessThan(40);
      const created = await alice.call('POST', '/createRoom', { preset: 'public_chat' });
      expect(created.status).toBe(200);
      const roomId = String(created.json.room_id);
      rooms.push(roomId);
      expect((await bob.call('POST', `/join/${encodeURIComponent(roomId)}`, {})).status).toBe(200);
    }

    // Bob long-polls sync1 the whole time and records every message body and every status.
    const received: string[] = [];
    const syncStatuses: number[] = [];
    let since = String((await bob.sync({ timeout: '0' }, syncBase)).json.next_batch);
    let syncing = true;
    const syncLoop = (async () => {
      while (syncing) {
        const next = await bob.sync({ since, timeout: '1000' }, syncBase);
        syncStatuses.push(next.status);
        if (next.status !== 200) {
          await sleep(100);
          continue;
        }
        since = String(next.json.next_batch);
        for (const room of Object.values(next.json.rooms?.join ?? {}) as Array<{ timeline: { events: Array<{ type: string; content: { body?: string } }> } }>) {
          for (const event of room.timeline.events) if (event.type === 'm.room.message' && event.content.body) received.push(event.content.body);
        }
      }
    })();

    // Senders: each send retried under its transaction id until acknowledged.
    const acked: string[] = [];
    let failedAttempts = 0;
    let phase = 'before adding persister3';
    const lastFailures: string[] = [];
    let sending = true;
    const senderLoop = async (sender: number) => {
      for (let n = 0; sending; n++) {
        const body = `s${sender}-m${n}`;
        const room = rooms[(sender + n) % rooms.length]!;
        for (let attempt = 0; attempt < 5 || !process.env['LIVE_PLACEMENT_DEBUG']; attempt++) {
          const answer = await alice.send(room, body, `txn-${body}`, 10_000);
          if (answer.status === 200) break;
          failedAttempts++;
          lastFailures.push(`${body} to ${room}: ${answer.status} ${JSON.stringify(answer.json).slice(0, 200)}`);
          lastFailures.splice(0, lastFailures.length - 5);
          if (process.env['LIVE_PLACEMENT_DEBUG']) console.log(`send ${body} to ${room}: ${answer.status} ${JSON.stringify(answer.json)}`);
          await sleep(100);
        }
        acked.push(body);
      }
    };
    const senders = Array.from({ length: SENDERS }, (_, i) => senderLoop(i));
    // Bounded waits that say where they stuck (a hang would only show the test's timeout).
    const waitUntil = async (what: string, done: () => boolean | Promise<boolean>) => {
      const deadline = Date.now() + 150_000;
      while (!(await done())) {
        if (Date.now() > deadline) throw new Error(`stuck ${phase}: ${what}, with ${acked.length} sends acknowledged; last failed attempts: ${lastFailures.join(' | ') || 'none'}`);
        await sleep(50);
      }
    };
    const ackedAtLeast = (count: number) => waitUntil(`waiting for ${count} acknowledged sends`, () => acked.length >= count);
    const eventsBy = async (writer: string) => Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM events WHERE instance_name = $1', [writer])).rows[0]!.n);

    const progress = (what: string) => process.env['LIVE_PLACEMENT_DEBUG'] && console.log(`${what}: ${acked.length} acked`);
    await ackedAtLeast(20);
    progress('before add');
    // Add persister3: the shared file names it (for the processes that start from now on), and it starts.
    await writeShared(['persister1', 'persister2', 'persister3']);
    phase = 'starting persister3';
    await start('event-persister', 'persister3', [paths['homeserver.yaml']!, paths['persister3.yaml']!]);
    const atAdd = acked.length;
    progress('persister3 started');
    phase = 'after adding persister3';
    await waitUntil('waiting for persister3 to write an event', async () => (await eventsBy('persister3')) > 0);
    progress('persister3 wrote');
    await ackedAtLeast(atAdd + 20);

    // Remove persister1: the file drops it, then it drains and stops.
    await writeShared(['persister2', 'persister3']);
    phase = 'stopping persister1';
    // It drains first: what was queued for it when it said it leaves is committed before it exits.
    expect(await processes.get('persister1')!.stop('SIGTERM')).toBe(0);
    processes.delete('persister1');
    const p1Before = await eventsBy('persister1');
    const atRemove = acked.length;
    progress('persister1 stopped');
    phase = 'after removing persister1';
    await ackedAtLeast(atRemove + 30);
    expect(await eventsBy('persister1')).toBe(p1Before);

    sending = false;
    await Promise.all(senders);
    // Bob catches up with everything acknowledged.
    for (let i = 0; i < 200 && !acked.every((body) => received.includes(body)); i++) await sleep(100);
    syncing = false;
    await syncLoop;

    const { rows } = await db.query<{ body: string; n: string }>(
      "SELECT json::jsonb->'content'->>'body' AS body, count(*) AS n FROM events WHERE type = 'm.room.message' GROUP BY 1",
    );
    const stored = new Map(rows.map((row) => [row.body, Number(row.n)]));
    const lost = acked.filter((body) => !stored.has(body));
    const duplicated = [...stored].filter(([, n]) => n > 1).map(([body]) => body);
    const unseen = acked.filter((body) => !received.includes(body));
    const seenTwice = received.filter((body, i) => received.indexOf(body) !== i);
    const non2xx = syncStatuses.filter((status) => status !== 200);
    // Printed for the closing note, not asserted: sends that had to be retried while rooms moved.
    console.log(`${bus.name}: ${acked.length} acknowledged sends (${failedAttempts} retried attempts), ${syncStatuses.length} /sync answers, persister3 wrote ${await eventsBy('persister3')} events`);
    expect({ lost, duplicated, unseen, seenTwice, non2xx }).toEqual({ lost: [], duplicated: [], unseen: [], seenTwice: [], non2xx: [] });
    expect(await eventsBy('persister3')).toBeGreaterThan(0);
  }, 300_000);
});
