// Two media app processes on one PostgreSQL, one NATS and one media store, behind haproxy on
// the config tools/proxy-config generates: an upload through the proxy is served by both
// workers; exactly one holds the background-jobs lease (metrics and logs say which) and
// expires an async upload nobody filled; after it is killed with SIGKILL the other takes the
// lease over and carries on.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hashToken } from '@homeserver/services';
import { insertAccessToken, insertUser, openDatabase, type Database } from '@homeserver/storage';
import { createTestDatabase, type TestPostgres } from '@homeserver/storage/testing';
import { freePort, SpawnedServer, startAppProcess, startNatsServer, type AppProcess, type TestServer } from '@homeserver/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(fileURLToPath(import.meta.url), '../../../..');
const HAPROXY = '/usr/sbin/haproxy';
const TOKEN = `syt_media_${randomBytes(8).toString('hex')}`;

async function leaseHeld(worker: AppProcess): Promise<boolean> {
  const text = await (await fetch(`http://127.0.0.1:${worker.addresses[0]!.port}/metrics`)).text();
  return /^media_background_jobs_lease_held\{[^}]*\} 1$/m.test(text);
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('two media workers sharing one store behind the generated proxy config', () => {
  let pg: TestPostgres;
  let nats: TestServer;
  let db: Database;
  let dir: string;
  let proxy: SpawnedServer;
  let proxyUrl: string;
  const workers: AppProcess[] = [];

  beforeAll(async () => {
    pg = await createTestDatabase('hs_media_workers');
    nats = await startNatsServer();
    dir = await mkdtemp(join(tmpdir(), 'hs-media-workers-'));
    const o = pg.options;
    const [mainPort, port1, port2, proxyPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
    const shared = join(dir, 'homeserver.yaml');
    await writeFile(
      shared,
      [
        'server_name: test.local',
        `database: {name: psycopg2, args: {user: ${o.user}, password: ${o.password}, database: ${o.database}, host: ${o.host}, port: ${o.port}}}`,
        `nats: {servers: ["${nats.url}"]}`,
        'worker_replication_secret: media-workers-secret',
        `media_store_path: ${join(dir, 'store')}`,
        'unused_expiration_time: 2s',
        `listeners: [{port: ${mainPort}, bind_addresses: [127.0.0.1], type: http, resources: [{names: [client]}]}]`,
      ].join('\n'),
    );
    const files = [shared];
    for (const [name, port] of [['media1', port1], ['media2', port2]] as const) {
      const file = join(dir, `${name}.yaml`);
      await writeFile(file, `worker_app: media\nworker_name: ${name}\nworker_listeners: [{port: ${port}, bind_addresses: [127.0.0.1], type: http, resources: [{names: [client, media, health, metrics]}]}]\n`);
      files.push(file);
    }
    workers.push(await startAppProcess('media', { configFiles: [shared, files[1]!] }));
    workers.push(await startAppProcess('media', { configFiles: [shared, files[2]!] }));
    db = await openDatabase({ ...pg.options, maxConnections: 2 });
    await insertUser(db, { userId: '@alice:test.local', passwordHash: null, createdTs: Date.now() });
    await insertAccessToken(db, { tokenHash: hashToken(TOKEN), userId: '@alice:test.local', deviceId: 'DEV', validUntilMs: null, refreshTokenId: null, createdTs: Date.now() });

    const rendered = spawnSync(process.execPath, [join(ROOT, 'tools/proxy-config/src/main.ts'), '--format', 'haproxy', ...files.flatMap((f) => ['-c', f]), '--listen', `127.0.0.1:${proxyPort}`], { encoding: 'utf8', cwd: ROOT });
    expect(rendered.status, rendered.stderr).toBe(0);
    const config = join(dir, 'haproxy.cfg');
    await writeFile(config, rendered.stdout);
    proxy = new SpawnedServer({ binary: HAPROXY, args: ['-f', config, '-db'], port: proxyPort });
    await proxy.start();
    proxyUrl = `http://127.0.0.1:${proxyPort}`;
  }, 300_000);

  afterAll(async () => {
    await proxy?.stop();
    for (const worker of workers) await worker.stop('SIGTERM').catch(() => undefined);
    await db?.close();
    await nats?.stop();
    await pg?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const auth = { authorization: `Bearer ${TOKEN}` };

  it('serves an upload made through the proxy from either worker', async () => {
    const bytes = randomBytes(3 * 1024 * 1024);
    const uploaded = await fetch(`${proxyUrl}/_matrix/media/v3/upload?filename=x.bin`, { method: 'POST', headers: { ...auth, 'content-type': 'application/octet-stream' }, body: bytes });
    expect(uploaded.status).toBe(200);
    const mxc = ((await uploaded.json()) as { content_uri: string }).content_uri;
    const path = `/_matrix/client/v1/media/download/${mxc.slice('mxc://'.length)}`;
    for (const worker of workers) {
      const response = await fetch(`http://127.0.0.1:${worker.addresses[0]!.port}${path}`, { headers: auth });
      expect(response.status).toBe(200);
      expect(Buffer.from(await response.arrayBuffer()).equals(bytes)).toBe(true);
    }
    const viaProxy = await fetch(`${proxyUrl}${path}`, { headers: auth });
    expect(Buffer.from(await viaProxy.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('runs the background jobs on the lease holder only, and on the other after a kill -9', async () => {
    const pendingGone = async (): Promise<void> => {
      const created = await fetch(`${proxyUrl}/_matrix/media/v1/create`, { method: 'POST', headers: auth });
      expect(created.status).toBe(200);
      const mediaId = ((await created.json()) as { content_uri: string }).content_uri.split('/').pop()!;
      await until(`expiry of ${mediaId}`, async () => ((await db.query('SELECT 1 FROM local_media_repository WHERE media_id = $1', [mediaId])).rowCount === 0 ? true : undefined));
    };
    const holderOf = async () => {
      const held = await Promise.all(workers.map(leaseHeld));
      return held.filter(Boolean).length === 1 ? workers[held.indexOf(true)]! : undefined;
    };
    const holder = await until('one lease holder', holderOf);
    const other = workers.find((w) => w !== holder)!;
    await pendingGone();
    const ran = (w: AppProcess) => w.logs.filter((l) => l.msg === 'media background jobs ran').length;
    expect(ran(holder)).toBeGreaterThan(0);
    expect(ran(other)).toBe(0);
    expect(await leaseHeld(other)).toBe(false);

    expect(await holder.stop('SIGKILL')).toBe('SIGKILL');
    await until('the other worker to take the lease', async () => ((await leaseHeld(other)) ? true : undefined));
    await pendingGone();
    expect(ran(other)).toBeGreaterThan(0);
  });
});
