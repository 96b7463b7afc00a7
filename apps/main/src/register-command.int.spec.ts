// The register command (npm run register; Synapse's register_new_matrix_user) against a fresh
// server started as `npm start` starts it (the first-start homeserver.yaml, its own process):
// it creates an admin from -c homeserver.yaml alone, the admin logs in with matrix-js-sdk and
// reaches the admin API; a non-admin and usage mistakes are refused.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { defaultConfigYaml } from '@homeserver/config';
import { appEntry } from '@homeserver/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http } from './testing/admin-http.ts';
import { loginUser } from './testing/sdk-clients.ts';
import { SpecCheckedFetch } from './testing/spec-checked-fetch.ts';

const ROOT = resolve(import.meta.dirname, '../../..');

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

function run(args: readonly string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(ROOT, 'tools/register-user/main.ts'), ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', fail);
    child.on('exit', (code) => done({ code, stdout, stderr }));
  });
}

/** Resolves once GET /health answers 200; fails if the server process exits first. */
async function waitForHealth(baseUrl: string, child: ChildProcess): Promise<void> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode} before answering /health`);
    const status = (await fetch(`${baseUrl}/health`).catch(() => undefined))?.status;
    if (status === 200) return;
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('the register command on a fresh server', () => {
  let dir: string;
  let server: ChildProcess;
  let baseUrl: string;
  const secret = randomBytes(24).toString('hex');

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hs-register-'));
    await mkdir(join(dir, 'data'));
    const port = await freePort();
    // What `npm start` writes on first start, on a free port instead of 8008.
    await writeFile(join(dir, 'data/homeserver.yaml'), defaultConfigYaml({ port, registrationSharedSecret: secret }));
    server = spawn(process.execPath, [appEntry('main'), '-c', 'data/homeserver.yaml'], { cwd: dir, stdio: 'ignore' });
    baseUrl = `http://127.0.0.1:${port}`;
    await waitForHealth(baseUrl, server);
  }, 240_000);

  afterAll(async () => {
    if (server?.exitCode === null) {
      const exited = new Promise((done) => server.once('exit', done));
      server.kill('SIGTERM');
      await exited;
    }
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('creates an admin from the config alone; the admin logs in with matrix-js-sdk and uses the admin API', async () => {
    const result = await run(['-c', 'data/homeserver.yaml', '-u', 'boss', '-p', 'boss-password', '--admin'], dir);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Success! Registered @boss:localhost as a server admin.');
    const fetcher = new SpecCheckedFetch();
    const boss = await loginUser('boss', 'boss-password', { baseUrl, fetcher });
    expect(boss.userId).toBe('@boss:localhost');
    expect((await boss.client.whoami()).user_id).toBe('@boss:localhost');
    const version = await http(baseUrl, 'GET', '/_synapse/admin/v1/server_version', { token: boss.client.getAccessToken()! });
    expect(version.status).toBe(200);
    expect(await fetcher.takeViolations()).toEqual([]);
  });

  it('creates a non-admin with the secret and a URL, and --exists-ok makes a repeat succeed', async () => {
    const result = await run(['-k', secret, '-u', 'plain', '-p', 'plain-password', '--no-admin', baseUrl], dir);
    expect(result.code).toBe(0);
    const fetcher = new SpecCheckedFetch();
    const plain = await loginUser('plain', 'plain-password', { baseUrl, fetcher });
    expect((await http(baseUrl, 'GET', '/_synapse/admin/v1/server_version', { token: plain.client.getAccessToken()! })).status).toBe(403);
    const again = await run(['-k', secret, '-u', 'plain', '-p', 'plain-password', baseUrl], dir);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('M_USER_IN_USE');
    expect((await run(['-k', secret, '-u', 'plain', '-p', 'plain-password', '--exists-ok', baseUrl], dir)).code).toBe(0);
  });

  it('refuses a wrong secret, and asks for nothing off a terminal', async () => {
    const wrong = await run(['-k', 'not-the-secret', '-u', 'eve', '-p', 'pw', baseUrl], dir);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('HMAC incorrect');
    const missing = await run(['-c', 'data/homeserver.yaml', '-u', 'eve'], dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('-p/--password is required when not run on a terminal');
    expect((await run(['-u', 'eve', '-p', 'pw'], dir)).code).toBe(2);
  });
});
