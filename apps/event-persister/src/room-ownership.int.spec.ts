// Regression test of issue 8's stale room view, with separate OS processes on PostgreSQL over
// NATS and over Redis: main and persister1/persister2 run with `stream_writers.events:
// [persister1, persister2]`; persister3 starts and main restarts with three writers, so a room
// of persister1 moves to persister3, where a user is banned; persister3 is killed (-9: it never
// releases the room) and main restarts with two writers again, so the room goes back to
// persister1, which was never restarted and held the room before. Nothing it held may be used:
// the banned user's send is refused, and new events build on the room's real extremities.
import { writeFile } from 'node:fs/promises';
import { RendezvousPlacement } from '@homeserver/actors';
import { openDatabase, type Database } from '@homeserver/storage';
import { createTestDatabase, type TestPostgres } from '@homeserver/storage/testing';
import { startAppProcess, startNatsServer, startRedisServer, testHomeserverConfig, writeConfigFiles, type AppProcess, type TestServer } from '@homeserver/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

const PERSISTERS = ['persister1', 'persister2', 'persister3'] as const;

interface Cluster {
  readonly homeserverYaml: string;
  readonly workerYaml: Record<string, string>;
  writers(events: readonly string[]): Promise<void>;
}

async function cluster(pg: TestPostgres, transport: Record<string, unknown>): Promise<Cluster> {
  const files: Record<string, string> = { 'homeserver.yaml': '' };
  for (const name of PERSISTERS) {
    files[`${name}.yaml`] = JSON.stringify({ worker_app: 'event-persister', worker_name: name, worker_listeners: [{ port: 0, type: 'http', resources: [{ names: ['health'] }] }] });
  }
  const paths = await writeConfigFiles(files);
  const homeserverYaml = paths['homeserver.yaml']!;
  return {
    homeserverYaml,
    workerYaml: Object.fromEntries(PERSISTERS.map((name) => [name, paths[`${name}.yaml`]!])),
    async writers(events) {
      const config = testHomeserverConfig({ postgres: pg.options, extra: { ...transport, stream_writers: { events }, worker_replication_secret: 'stale-view-test' } });
      await writeFile(homeserverYaml, JSON.stringify(config, null, 2));
    },
  };
}

class Client {
  readonly #base: string;
  readonly token: string;
  readonly userId: string;
  private constructor(base: string, token: string, userId: string) {
    this.#base = base;
    this.token = token;
    this.userId = userId;
  }
  static async register(base: string, username: string): Promise<Client> {
    const response = await fetch(`${base}/_matrix/client/v3/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: 'correct horse battery', auth: { type: 'm.login.dummy' } }),
    });
    const body = (await response.json()) as { access_token: string; user_id: string };
    expect(response.status, JSON.stringify(body)).toBe(200);
    return new Client(base, body.access_token, body.user_id);
  }
  on(base: string): Client {
    return new Client(base, this.token, this.userId);
  }
  async call(method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await fetch(`${this.#base}/_matrix/client/v3${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }
  async send(roomId: string, body: string): Promise<{ status: number; body: Record<string, unknown> }> {
    return this.call('PUT', `/rooms/${encodeURIComponent(roomId)}/send/m.room.message/${Math.random().toString(36).slice(2)}`, { msgtype: 'm.text', body });
  }
}

function baseOf(app: AppProcess): string {
  const address = app.addresses[0]!;
  return `http://${address.host}:${address.port}`;
}

function describeStaleView(label: string, startBus: () => Promise<TestServer>, transportConfig: (bus: TestServer) => Record<string, unknown>): void {
  describe(`stale room view after placement changes (${label})`, () => {
    let pg: TestPostgres;
    let db: Database;
    let bus: TestServer;
    const running = new Set<AppProcess>();
    const start = async (app: string, configFiles: string[]) => {
      const process = await startAppProcess(app, { configFiles });
      running.add(process);
      return process;
    };
    const stop = async (process: AppProcess) => {
      running.delete(process);
      expect(await process.stop()).toBe(0);
    };

    beforeAll(async () => {
      pg = await createTestDatabase('hs_stale_view');
      db = await openDatabase(pg.options);
      bus = await startBus();
    });
    afterEach(async () => {
      await Promise.all([...running].map((p) => p.stop('SIGKILL')));
      running.clear();
    });
    afterAll(async () => {
      await bus?.stop();
      await db?.close();
      await pg?.drop();
    });

    it('refuses a banned user after the owner changed twice, and builds on the real extremities', async () => {
      const files = await cluster(pg, transportConfig(bus));
      const two = new RendezvousPlacement({ instances: { room: ['persister1', 'persister2'] } });
      const three = new RendezvousPlacement({ instances: { room: ['persister1', 'persister2', 'persister3'] } });

      await files.writers(['persister1', 'persister2']);
      await start('event-persister', [files.homeserverYaml, files.workerYaml['persister1']!]);
      await start('event-persister', [files.homeserverYaml, files.workerYaml['persister2']!]);
      let main = await start('main', [files.homeserverYaml]);
      const alice = await Client.register(baseOf(main), 'alice');
      const bob = await Client.register(baseOf(main), 'bob');

      // A public room that persister1 owns now and persister3 will own with three writers.
      let roomId = '';
      for (let attempt = 0; attempt < 60 && !roomId; attempt++) {
        const created = await alice.call('POST', '/createRoom', { preset: 'public_chat' });
        expect(created.status).toBe(200);
        const id = String(created.body['room_id']);
        if (two.instanceFor('room', id) === 'persister1' && three.instanceFor('room', id) === 'persister3') roomId = id;
      }
      expect(roomId).not.toBe('');
      expect((await bob.call('POST', `/join/${encodeURIComponent(roomId)}`, {})).status).toBe(200);
      for (let i = 0; i < 5; i++) expect((await bob.send(roomId, `before the move ${i}`)).status).toBe(200);

      // persister3 joins; main restarts with three writers; only main and persister3 read the new list.
      await files.writers(['persister1', 'persister2', 'persister3']);
      const persister3 = await start('event-persister', [files.homeserverYaml, files.workerYaml['persister3']!]);
      await stop(main);
      main = await start('main', [files.homeserverYaml]);
      const ban = await alice.on(baseOf(main)).call('POST', `/rooms/${encodeURIComponent(roomId)}/ban`, { user_id: bob.userId, reason: 'stale view test' });
      expect(ban.status, JSON.stringify(ban.body)).toBe(200);
      for (let i = 0; i < 3; i++) expect((await alice.on(baseOf(main)).send(roomId, `on persister3 ${i}`)).status).toBe(200);

      // Back to two writers: persister3 dies without releasing anything, main restarts, and the
      // room returns to persister1, which takes it over from the dead owner.
      await persister3.stop('SIGKILL');
      running.delete(persister3);
      await files.writers(['persister1', 'persister2']);
      await stop(main);
      main = await start('main', [files.homeserverYaml]);
      let refused = await bob.on(baseOf(main)).send(roomId, 'am I still here?');
      // Until every process has noticed persister3 is gone, its rooms answer 503 with
      // retry_after_ms: retry as told (bounded).
      for (let attempt = 0; refused.status === 503 && attempt < 30; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, Number(refused.body['retry_after_ms'] ?? 1000)));
        refused = await bob.on(baseOf(main)).send(roomId, 'am I still here?');
      }
      expect(refused.status, JSON.stringify(refused.body)).toBe(403);
      expect(refused.body['errcode']).toBe('M_FORBIDDEN');

      const extremitiesBefore = await db.query<{ event_id: string }>('SELECT event_id FROM event_forward_extremities WHERE room_id = $1', [roomId]);
      const sent = await alice.on(baseOf(main)).send(roomId, 'back on persister1');
      expect(sent.status, JSON.stringify(sent.body)).toBe(200);
      const { rows } = await db.query<{ json: string; depth: string }>('SELECT json, depth FROM events WHERE event_id = $1', [sent.body['event_id']]);
      const pdu = JSON.parse(rows[0]!.json) as { prev_events: string[] };
      expect(pdu.prev_events.sort()).toEqual(extremitiesBefore.rows.map((r) => r.event_id).sort());
      const { rows: depth } = await db.query<{ max: string }>('SELECT max(depth) AS max FROM events WHERE room_id = $1 AND event_id <> $2', [roomId, sent.body['event_id']]);
      expect(Number(rows[0]!.depth)).toBe(Number(depth[0]!.max) + 1);
      const { rows: after } = await db.query<{ event_id: string }>('SELECT event_id FROM event_forward_extremities WHERE room_id = $1', [roomId]);
      expect(after.map((r) => r.event_id)).toEqual([sent.body['event_id']]);
      // Nothing of Bob's was written after the ban.
      const { rows: bobAfterBan } = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM events e WHERE e.room_id = $1 AND e.sender = $2 AND e.type = 'm.room.message'
           AND e.stream_ordering > (SELECT stream_ordering FROM room_memberships WHERE room_id = $1 AND user_id = $2 AND membership = 'ban')`,
        [roomId, bob.userId],
      );
      expect(bobAfterBan[0]!.n).toBe(0);
      const { rows: owner } = await db.query<{ instance_name: string; epoch: string }>('SELECT instance_name, epoch FROM room_owners WHERE room_id = $1', [roomId]);
      expect(owner[0]).toMatchObject({ instance_name: 'persister1' });
      expect(Number(owner[0]!.epoch)).toBeGreaterThanOrEqual(3);
    });
  });
}

describeStaleView('NATS', () => startNatsServer(), (nats) => ({ nats: { servers: [nats.url] } }));
describeStaleView('Redis', () => startRedisServer(), (redis) => ({ redis: { enabled: true, host: '127.0.0.1', port: Number(new URL(redis.url).port) } }));
