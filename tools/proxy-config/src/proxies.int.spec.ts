// The rendered configs in the real proxies: nginx -t and haproxy -c accept them, and nginx and
// haproxy started on them, in front of stand-in upstreams that answer with their instance name,
// send each request to an instance of the upstream the route table names, a user's syncs to
// one sync worker and one origin's transactions to one federation reader.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, SpawnedServer } from '@homeserver/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDeployment } from './deployment.ts';
import { renderHaproxy } from './render-haproxy.ts';
import { renderNginx } from './render-nginx.ts';
import { buildRoutingPlan, routeRequest, type RoutingPlan } from './routing-plan.ts';
import { writeWorkerConfigs, type WorkerPorts } from './testing/deployments.ts';
import { ROUTING_CASES } from './testing/routing-cases.ts';

const NGINX = '/usr/sbin/nginx';
const HAPROXY = '/usr/sbin/haproxy';
const ENSURE_SERVICES = resolve(fileURLToPath(import.meta.url), '../../../services/ensure-services.sh');

async function standIn(instance: string, port: number): Promise<Server> {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ instance })));
  });
  await new Promise<void>((done) => server.listen(port, '127.0.0.1', done));
  return server;
}

function run(binary: string, args: string[]): { status: number | null; output: string } {
  const result = spawnSync(binary, args, { encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe.each(['nginx', 'haproxy'] as const)('%s on the rendered config', (format) => {
  let dir: string;
  let plan: RoutingPlan;
  let proxy: SpawnedServer;
  let proxyPort: number;
  let configFile: string;
  const standIns: Server[] = [];

  async function send(method: string, path: string, headers: Record<string, string> = {}): Promise<string> {
    const response = await fetch(`http://127.0.0.1:${proxyPort}${path}`, { method, headers, body: method === 'GET' || method === 'HEAD' ? undefined : '{}' });
    expect(response.status, `${method} ${path}`).toBe(200);
    return ((await response.json()) as { instance: string }).instance;
  }

  beforeAll(async () => {
    // The way the other servers get here: ensure-services.sh installs them from Debian (as root).
    if (!existsSync(NGINX) || !existsSync(HAPROXY)) {
      const installed = run('bash', [ENSURE_SERVICES]);
      if (installed.status !== 0) throw new Error(`could not install nginx and haproxy with ${ENSURE_SERVICES}:\n${installed.output}`);
    }
    dir = await mkdtemp(join(tmpdir(), `hs-proxy-${format}-`));
    const ports: WorkerPorts = { main: await freePort(), sync1: await freePort(), sync2: await freePort(), fed1: await freePort(), fed2: await freePort(), media1: await freePort() };
    for (const [instance, port] of Object.entries(ports)) standIns.push(await standIn(instance, port));
    const [shared, ...workers] = await writeWorkerConfigs(dir, ports);
    plan = buildRoutingPlan(await loadDeployment(shared!, workers));
    proxyPort = await freePort();
    const listen = `127.0.0.1:${proxyPort}`;
    configFile = join(dir, `${format}.conf`);
    await writeFile(configFile, format === 'nginx' ? renderNginx(plan, { listen, pidFile: join(dir, 'nginx.pid'), errorLog: join(dir, 'error.log') }) : renderHaproxy(plan, { listen }));
    proxy = format === 'nginx'
      ? new SpawnedServer({ binary: NGINX, args: ['-p', dir, '-c', configFile, '-g', 'daemon off;'], port: proxyPort })
      : new SpawnedServer({ binary: HAPROXY, args: ['-f', configFile, '-db'], port: proxyPort });
  }, 600_000);

  afterAll(async () => {
    await proxy?.stop();
    await Promise.all(standIns.map((s) => new Promise((done) => s.close(done))));
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('accepts the config (nginx -t / haproxy -c)', () => {
    const check = format === 'nginx' ? run(NGINX, ['-t', '-p', dir, '-c', configFile]) : run(HAPROXY, ['-c', '-f', configFile]);
    expect(check.status, check.output).toBe(0);
  });

  it('sends each request to an instance of the upstream the route table names', async () => {
    await proxy.start();
    for (const c of ROUTING_CASES) {
      expect(routeRequest(plan, c.request).upstream).toBe(c.upstream);
      const headers: Record<string, string> = c.request.authorization ? { authorization: c.request.authorization } : {};
      const instance = await send(c.method, c.request.path + (c.query ? `?${c.query}` : ''), headers);
      expect(c.instances, `${c.method} ${c.request.path} answered by ${instance}`).toContain(instance);
    }
  });

  it("sends one user's syncs to one sync worker, and spreads users over both", async () => {
    await proxy.start();
    const aliceTokens = ['syt_alice_aaa_1', 'syt_alice_bbb_2', 'syt_alice_ccc_3', 'syt_alice_ddd_4'];
    const alice = new Set<string>();
    for (const token of aliceTokens) alice.add(await send('GET', '/_matrix/client/v3/sync', { authorization: `Bearer ${token}` }));
    // The query parameter counts as the same user.
    alice.add(await send('GET', `/_matrix/client/v3/sync?access_token=syt_alice_eee_5&since=s1`));
    expect(alice.size).toBe(1);
    const users = new Set<string>();
    for (let i = 0; i < 24; i++) users.add(await send('GET', '/_matrix/client/v3/sync', { authorization: `Bearer syt_user${i}_x_y` }));
    expect([...users].sort()).toEqual(['sync1', 'sync2']);
  });

  it("sends one origin's transactions to one federation reader, and spreads origins over both", async () => {
    await proxy.start();
    const xMatrix = (origin: string, sig: string) => `X-Matrix origin="${origin}",destination="example.org",key="ed25519:a",sig="${sig}"`;
    const remote = new Set<string>();
    for (let i = 0; i < 5; i++) remote.add(await send('PUT', `/_matrix/federation/v1/send/${i}`, { authorization: xMatrix('remote.org', `sig${i}`) }));
    expect(remote.size).toBe(1);
    const origins = new Set<string>();
    for (let i = 0; i < 24; i++) origins.add(await send('PUT', '/_matrix/federation/v1/send/t', { authorization: xMatrix(`server${i}.org`, 's') }));
    expect([...origins].sort()).toEqual(['fed1', 'fed2']);
  });
});
