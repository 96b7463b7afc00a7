// The admin topology page in a real headless Chromium (Debian's chromium driven by
// playwright-core) against a worker cluster on PostgreSQL over NATS: main, two sync workers, two
// event persisters, a pusher and a media worker as OS processes. The page lists every process
// with its roles and writers, names the persister owning a room, and drops a persister killed
// with SIGKILL (no goodbye heartbeat) once its heartbeats expire (3 s) plus one page refresh
// (1 s): the time is measured and printed (the bound is ~4 s; the wait allows more on a busy
// machine, since timings are not asserted). Screenshots go to
// $TOPOLOGY_SCREENSHOT_DIR (default: the OS temp folder) and their paths are printed.
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestPostgres } from '@homeserver/storage/testing';
import { startAppProcess, startNatsServer, testHomeserverConfig, writeConfigFiles, type AppProcess, type TestServer } from '@homeserver/testing';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, registerAdmin, type TestUser } from './testing/admin-http.ts';

const CHROMIUM = '/usr/bin/chromium';
const SECRET = 'topology-test-secret';
const WORKERS = [
  { name: 'sync1', app: 'sync' },
  { name: 'sync2', app: 'sync' },
  { name: 'persister1', app: 'event-persister' },
  { name: 'persister2', app: 'event-persister' },
  { name: 'pusher1', app: 'pusher' },
  { name: 'media1', app: 'media' },
] as const;

describe('the topology page in headless Chromium against a worker cluster', () => {
  let pg: TestPostgres;
  let nats: TestServer;
  let main: AppProcess;
  const workers = new Map<string, AppProcess>();
  let browser: Browser;
  let page: Page;
  let admin: TestUser;
  let base: string;
  const shots = process.env['TOPOLOGY_SCREENSHOT_DIR'] ?? tmpdir();

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: tools/services/ensure-services.sh installs Debian's chromium`);
    [pg, nats] = await Promise.all([createTestDatabase('hs_topology'), startNatsServer()]);
    const shared = testHomeserverConfig({
      postgres: pg.options,
      extra: {
        nats: { servers: [nats.url] },
        worker_replication_secret: 'topology-replication-secret',
        registration_shared_secret: SECRET,
        stream_writers: { events: ['persister1', 'persister2'] },
        pusher_instances: ['pusher1'],
        media_instance_running_background_jobs: 'media1',
        listeners: [{ port: 0, bind_addresses: ['127.0.0.1'], type: 'http', resources: [{ names: ['client', 'health', 'metrics'] }] }],
      },
    });
    const files = await writeConfigFiles({
      'homeserver.yaml': JSON.stringify(shared),
      ...Object.fromEntries(
        WORKERS.map((w) => [
          `${w.name}.yaml`,
          JSON.stringify({ worker_app: w.app, worker_name: w.name, worker_listeners: [{ port: 0, type: 'http', resources: [{ names: [w.app === 'media' ? 'media' : 'client', 'health'] }] }] }),
        ]),
      ),
    });
    // main first: it migrates the database the workers then open.
    main = await startAppProcess('main', { configFiles: [files['homeserver.yaml']!], startTimeoutMs: 240_000 });
    await Promise.all(
      WORKERS.map(async (w) => workers.set(w.name, await startAppProcess(w.app, { configFiles: [files['homeserver.yaml']!, files[`${w.name}.yaml`]!], startTimeoutMs: 240_000 }))),
    );
    base = `http://127.0.0.1:${main.addresses[0]!.port}`;
    admin = await registerAdmin(base, SECRET, 'topo_admin');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([...workers.values()].map((w) => w.stop('SIGKILL').catch(() => undefined)));
    await main?.stop('SIGKILL').catch(() => undefined);
    await nats?.stop();
    await pg?.drop();
  }, 120_000);

  const rowNames = () => page.locator('#processes tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-worker') ?? '').sort());

  it('refuses the page and its JSON to a missing token and to a non-admin', async () => {
    expect((await http(base, 'GET', '/_homeserver/admin/topology.json')).status).toBe(401);
    const first = await http(base, 'POST', '/_matrix/client/v3/register', { body: { username: 'topo_user', password: 'pw' } });
    const user = await http(base, 'POST', '/_matrix/client/v3/register', { body: { username: 'topo_user', password: 'pw', auth: { type: 'm.login.dummy', session: first.body['session'] } } });
    const forbidden = await http(base, 'GET', '/_homeserver/admin/topology.json', { token: String(user.body['access_token']) });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body['errcode']).toBe('M_FORBIDDEN');
  });

  it('shows every process with its roles and writers, and the owner of a room', async () => {
    const created = await http(base, 'POST', '/_matrix/client/v3/createRoom', { token: admin.accessToken, body: { name: 'topology' } });
    const roomId = String(created.body['room_id']);
    await page.goto(`${base}/_homeserver/admin/topology?access_token=${encodeURIComponent(admin.accessToken)}&room_id=${encodeURIComponent(roomId)}`);
    const everyone = ['main', ...WORKERS.map((w) => w.name)].sort();
    await expect.poll(rowNames, { timeout: 30_000 }).toEqual(everyone);
    const owner = await page.locator('#room-owner').getAttribute('data-owner', { timeout: 10_000 });
    const json = await http(base, 'GET', `/_homeserver/admin/topology.json?room_id=${encodeURIComponent(roomId)}`, { token: admin.accessToken });
    const room = json.body['room'] as { owner: string };
    expect(['persister1', 'persister2']).toContain(room.owner);
    await expect.poll(() => page.locator('#room-owner').getAttribute('data-owner'), { timeout: 10_000 }).toBe(room.owner);
    expect(owner === '' || owner === room.owner).toBe(true);
    const processes = json.body['processes'] as Array<{ worker_name: string; worker_app: string; roles: string[]; stream_writers: Array<{ stream: string }>; actor_kinds: Array<{ kind: string; actors: number }> }>;
    const ownerRow = processes.find((p) => p.worker_name === room.owner)!;
    expect(ownerRow.worker_app).toBe('event-persister');
    expect(ownerRow.stream_writers.map((w) => w.stream)).toContain('events');
    // Actor counts travel in the heartbeats (one a second): the owner's next one counts the new room.
    const roomActorsOfOwner = async () => {
      const latest = await http(base, 'GET', '/_homeserver/admin/topology.json', { token: admin.accessToken });
      const row = (latest.body['processes'] as typeof processes).find((p) => p.worker_name === room.owner);
      return row?.actor_kinds.find((k) => k.kind === 'room')?.actors ?? 0;
    };
    await expect.poll(roomActorsOfOwner, { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
    expect(processes.find((p) => p.worker_name === 'main')!.roles).toContain('main');
    const text = await page.locator(`#processes tr[data-worker="${room.owner}"]`).innerText();
    expect(text).toContain('events @');
    const shot = join(shots, 'topology-cluster.png');
    await page.screenshot({ path: shot, fullPage: true });
    process.stdout.write(`topology screenshot: ${shot}\n`);
  });

  it('drops a killed persister after its heartbeats expire and lists it as gone', async () => {
    const victim = workers.get('persister2')!;
    await victim.stop('SIGKILL');
    const killedAt = Date.now();
    await expect.poll(rowNames, { timeout: 30_000, interval: 100 }).not.toContain('persister2');
    const seenAfterMs = Date.now() - killedAt;
    process.stdout.write(`persister2 left the page ${seenAfterMs} ms after SIGKILL\n`);
    await expect.poll(() => page.locator('#gone li[data-gone="persister2"]').count(), { timeout: 5_000 }).toBe(1);
    const shot = join(shots, 'topology-persister-killed.png');
    await page.screenshot({ path: shot, fullPage: true });
    process.stdout.write(`topology screenshot: ${shot}\n`);
  });
});
