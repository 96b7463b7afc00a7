// The monolith behind a real nginx running the config tools/proxy-config generates from the
// server's own homeserver.yaml, on both storage modes. Clients connect from different loopback
// addresses (127.0.0.2, 127.0.0.3, ...): on the `x_forwarded: true` listener the per-address login
// and registration limits apply to each client address, and a client cannot dodge its limit by
// writing X-Forwarded-For itself; the same traffic to a listener without `x_forwarded` shares
// one limit (nginx's address), which is why the option exists.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, SpawnedServer } from '@homeserver/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { register } from './testing/bad-input/sweep-fixture.ts';
import { startTestHomeserver, type StorageMode, type TestHomeserver } from './testing/test-homeserver.ts';

const NGINX = '/usr/sbin/nginx';
const ROOT = resolve(fileURLToPath(import.meta.url), '../../../..');
const PROXY_CONFIG = join(ROOT, 'tools/proxy-config/src/main.ts');
const ENSURE_SERVICES = join(ROOT, 'tools/services/ensure-services.sh');
const generous = { per_second: 100_000, burst_count: 100_000 };
const LOGIN_BURST = 3;
const REGISTRATION_BURST = 2;

/** One JSON POST from a chosen local (client) address; resolves with the status. */
function postFrom(localAddress: string, port: number, path: string, body: unknown, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((done, fail) => {
    const text = JSON.stringify(body);
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', localAddress, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers } }, (res) => {
      res.resume();
      res.on('end', () => done(res.statusCode ?? 0));
    });
    req.on('error', fail);
    req.end(text);
  });
}

/** Generates nginx.conf with tools/proxy-config from `configPath` and starts nginx on it. */
async function startNginx(dir: string, name: string, configPath: string): Promise<{ nginx: SpawnedServer; port: number }> {
  const port = await freePort();
  const generated = spawnSync(process.execPath, [PROXY_CONFIG, '--format', 'nginx', '-c', configPath, '--listen', `127.0.0.1:${port}`], { encoding: 'utf8' });
  if (generated.status !== 0) throw new Error(`proxy-config failed: ${generated.stderr}`);
  const confFile = join(dir, `${name}.conf`);
  await writeFile(confFile, generated.stdout);
  const nginx = new SpawnedServer({ binary: NGINX, args: ['-p', dir, '-c', confFile, '-g', `daemon off; pid ${join(dir, `${name}.pid`)}; error_log ${join(dir, `${name}.error.log`)};`], port });
  await nginx.start();
  return { nginx, port };
}

describe.each<StorageMode>(['pglite', 'postgres'])('behind nginx (%s)', (mode) => {
  let server: TestHomeserver;
  let dir: string;
  const proxies: SpawnedServer[] = [];
  let forwardedPort: number;
  let directPort: number;
  let victim: { userId: string };

  beforeAll(async () => {
    // ensure-services.sh installs nginx from Debian (as root), as for the other test servers.
    if (!existsSync(NGINX)) {
      const installed = spawnSync('bash', [ENSURE_SERVICES], { encoding: 'utf8' });
      if (installed.status !== 0) throw new Error(`could not install nginx with ${ENSURE_SERVICES}:\n${installed.stdout}${installed.stderr}`);
    }
    dir = await mkdtemp(join(tmpdir(), `hs-behind-nginx-${mode}-`));
    const [proxiedListener, plainListener] = [await freePort(), await freePort()];
    server = await startTestHomeserver(mode, {
      extra: {
        listeners: [
          { port: proxiedListener, bind_addresses: ['127.0.0.1'], type: 'http', x_forwarded: true, resources: [{ names: ['client', 'health'] }] },
          { port: plainListener, bind_addresses: ['127.0.0.1'], type: 'http', resources: [{ names: ['client', 'health'] }] },
        ],
        rc_login: { address: { per_second: 0.001, burst_count: LOGIN_BURST }, account: generous, failed_attempts: generous },
        rc_registration: { per_second: 0.001, burst_count: REGISTRATION_BURST },
      },
    });
    // Registered straight to the server (its socket address, 127.0.0.1, has its own budget).
    victim = await register(server.baseUrl, `victim_${randomUUID().slice(0, 8)}`);
    const forwarded = await startNginx(dir, 'forwarded', server.configPath);
    // The same deployment with only the listener that ignores X-Forwarded-For.
    const config = JSON.parse(await readFile(server.configPath, 'utf8')) as { listeners: unknown[] };
    const plainConfig = join(dir, 'plain-homeserver.yaml');
    await writeFile(plainConfig, JSON.stringify({ ...config, listeners: [config.listeners[1]] }));
    const plain = await startNginx(dir, 'plain', plainConfig);
    proxies.push(forwarded.nginx, plain.nginx);
    [forwardedPort, directPort] = [forwarded.port, plain.port];
  }, 240_000);

  afterAll(async () => {
    for (const proxy of proxies) await proxy.stop();
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  }, 60_000);

  const badLogin = () => ({ type: 'm.login.password', identifier: { type: 'm.id.user', user: victim.userId }, password: 'wrong' });
  const goodLogin = () => ({ type: 'm.login.password', identifier: { type: 'm.id.user', user: victim.userId }, password: 'correct horse battery' });

  it('limits logins per client address on the x_forwarded listener, whatever X-Forwarded-For the client writes', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < LOGIN_BURST + 1; i++) statuses.push(await postFrom('127.0.0.2', forwardedPort, '/_matrix/client/v3/login', badLogin()));
    expect(statuses).toEqual([...Array(LOGIN_BURST).fill(403), 429]);
    // The limited client stays limited even when it claims another address.
    expect(await postFrom('127.0.0.2', forwardedPort, '/_matrix/client/v3/login', goodLogin(), { 'x-forwarded-for': '198.51.100.23' })).toBe(429);
    // Another client address is not locked out: the account still logs in from there.
    expect(await postFrom('127.0.0.3', forwardedPort, '/_matrix/client/v3/login', goodLogin())).toBe(200);
  });

  it('limits registrations per client address on the x_forwarded listener', async () => {
    const user = () => ({ username: `r_${randomUUID().slice(0, 12)}`, password: 'correct horse battery', auth: { type: 'm.login.dummy' } });
    const statuses: number[] = [];
    for (let i = 0; i < REGISTRATION_BURST + 1; i++) statuses.push(await postFrom('127.0.0.4', forwardedPort, '/_matrix/client/v3/register', user()));
    expect(statuses).toEqual([...Array(REGISTRATION_BURST).fill(200), 429]);
    expect(await postFrom('127.0.0.5', forwardedPort, '/_matrix/client/v3/register', user())).toBe(200);
  });

  it('without x_forwarded every client behind nginx shares the proxy\'s limit (the control)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < LOGIN_BURST + 1; i++) statuses.push(await postFrom('127.0.0.6', directPort, '/_matrix/client/v3/login', badLogin()));
    expect(statuses).toEqual([...Array(LOGIN_BURST).fill(403), 429]);
    expect(await postFrom('127.0.0.7', directPort, '/_matrix/client/v3/login', goodLogin())).toBe(429);
  });
});
