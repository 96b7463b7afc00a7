// A real Synapse on loopback, for interop tests: matrix-synapse from PyPI in a Python venv kept
// between runs (HS_SYNAPSE_VENV, default ~/.cache/homeserver-synapse-venv), a config written
// here (SQLite, a TLS federation listener with an openssl self-signed certificate, a plain client
// listener, open registration, no notary, loopback whitelisted, the given certificates trusted).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './free-port.ts';
import { createTestCertificate, type TestCertificate } from './tls-certificate.ts';

const run = promisify(execFile);

/** The matrix-synapse release the interop tests are written against. */
export const SYNAPSE_VERSION = '1.163.2';

export interface StartSynapseOptions {
  /** PEM files Synapse trusts for outbound federation (the peers' certificates). */
  readonly caPaths: readonly string[];
  /** Synapse's TLS certificate, when peers must trust it before Synapse starts. Default: a new one. */
  readonly certificate?: TestCertificate;
  /** Keys merged into the generated config last. Default: none. */
  readonly extra?: Record<string, unknown>;
  /** Give up waiting for Synapse to answer after this long. Default: 180 s. */
  readonly startTimeoutMs?: number;
}

export interface SynapseServer {
  /** `localhost:<federation port>`. */
  readonly serverName: string;
  readonly clientUrl: string;
  readonly federationPort: number;
  /** `https://localhost:<federation port>`. */
  readonly federationUrl: string;
  /** Synapse's certificate, for peers' federation_custom_ca_list. */
  readonly certificate: TestCertificate;
  readonly dir: string;
  /** Everything Synapse wrote to stdout and stderr so far. */
  output(): string;
  stop(): Promise<void>;
}

/** Where the venv lives; created and filled with matrix-synapse on first use. */
export function synapseVenvPath(): string {
  return process.env.HS_SYNAPSE_VENV ?? join(homedir(), '.cache', 'homeserver-synapse-venv');
}

/**
 * The venv's python, with matrix-synapse and the extras a worker deployment needs (PostgreSQL,
 * Redis) installed in the versions Synapse itself pins. A venv whose packages Synapse would refuse
 * at start (e.g. a newer txredisapi installed beside it) is reinstalled the same way.
 */
export async function ensureSynapseVenv(): Promise<string> {
  const venv = synapseVenvPath();
  const python = join(venv, 'bin', 'python');
  const check = `import synapse; from synapse.util.check_dependencies import check_requirements; check_requirements(); import psycopg2, txredisapi, hiredis; print(synapse.__version__)`;
  const installed = await run(python, ['-c', check]).then((r) => r.stdout.trim()).catch(() => undefined);
  if (installed === SYNAPSE_VERSION) return python;
  await access(python).catch(() => run('python3', ['-m', 'venv', venv]));
  await run(join(venv, 'bin', 'pip'), ['install', '--quiet', `matrix-synapse[postgres,redis]==${SYNAPSE_VERSION}`], { maxBuffer: 64 * 1024 * 1024, timeout: 15 * 60_000 });
  return python;
}

function synapseConfig(dir: string, ports: { federation: number; client: number }, certificate: TestCertificate, options: StartSynapseOptions): Record<string, unknown> {
  const generous = { per_second: 10_000, burst_count: 10_000 };
  return {
    server_name: `localhost:${ports.federation}`,
    pid_file: join(dir, 'homeserver.pid'),
    listeners: [
      { port: ports.federation, tls: true, type: 'http', bind_addresses: ['127.0.0.1'], resources: [{ names: ['federation'], compress: false }] },
      { port: ports.client, tls: false, type: 'http', x_forwarded: false, bind_addresses: ['127.0.0.1'], resources: [{ names: ['client'], compress: false }] },
    ],
    database: { name: 'sqlite3', args: { database: join(dir, 'homeserver.db') } },
    media_store_path: join(dir, 'media_store'),
    signing_key_path: join(dir, 'signing.key'),
    report_stats: false,
    registration_shared_secret: 'interop-shared-secret',
    macaroon_secret_key: 'interop-macaroon-secret',
    form_secret: 'interop-form-secret',
    enable_registration: true,
    enable_registration_without_verification: true,
    trusted_key_servers: [],
    suppress_key_server_warning: true,
    tls_certificate_path: certificate.certificatePath,
    tls_private_key_path: certificate.privateKeyPath,
    federation_verify_certificates: true,
    federation_custom_ca_list: [...options.caPaths],
    ip_range_whitelist: ['127.0.0.0/8', '::1/128'],
    rc_message: generous,
    rc_registration: generous,
    rc_login: { address: generous, account: generous, failed_attempts: generous },
    rc_joins: { local: generous, remote: generous },
    rc_federation: { window_size: 1000, sleep_limit: 10_000, sleep_delay: 0, reject_limit: 10_000, concurrent: 100 },
    ...options.extra,
  };
}

async function waitUntilServing(child: ChildProcess, url: string, timeoutMs: number, output: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`synapse exited with ${child.exitCode} before serving; output:\n${output()}`);
    const ok = await fetch(url).then((r) => r.ok, () => false);
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`synapse did not serve ${url} within ${timeoutMs} ms; output:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Creates the venv if needed, writes a config and keys, starts Synapse and waits for it. */
export async function startSynapse(options: StartSynapseOptions): Promise<SynapseServer> {
  const python = await ensureSynapseVenv();
  const dir = await mkdtemp(join(tmpdir(), 'hs-synapse-'));
  const ports = { federation: await freePort(), client: await freePort() };
  const certificate = options.certificate ?? (await createTestCertificate(dir, { name: 'synapse' }));
  const configPath = join(dir, 'homeserver.yaml');
  await writeFile(configPath, JSON.stringify(synapseConfig(dir, ports, certificate, options), null, 2));
  await run(python, ['-m', 'synapse.app.homeserver', '-c', configPath, '--generate-keys'], { cwd: dir });
  const child = spawn(python, ['-m', 'synapse.app.homeserver', '-c', configPath], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const stop = async () => {
    process.off('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    await rm(dir, { recursive: true, force: true });
  };
  const clientUrl = `http://127.0.0.1:${ports.client}`;
  try {
    await waitUntilServing(child, `${clientUrl}/health`, options.startTimeoutMs ?? 180_000, () => text);
  } catch (error) {
    await stop();
    throw error;
  }
  return { serverName: `localhost:${ports.federation}`, clientUrl, federationPort: ports.federation, federationUrl: `https://localhost:${ports.federation}`, certificate, dir, output: () => text, stop };
}
