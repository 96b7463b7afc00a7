// N real homeserver processes that federate with each other on loopback, for two-instance (and
// more) tests: each its own server name (`localhost:<federation port>`), its own PostgreSQL
// database, a client listener (plain HTTP) and a TLS federation listener (federation + keys)
// with a self-signed certificate made by the openssl CLI. Every member trusts every member's
// certificate (federation_custom_ca_list) and whitelists loopback (ip_range_whitelist), so the
// real discovery, TLS and address checks run. A member can be stopped and started again on the
// same name, database and ports (catch-up tests).
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestPostgres } from '@homeserver/storage/testing';
import { startAppProcess, type AppProcess } from './app-process.ts';
import { freePort } from './free-port.ts';
import { testHomeserverConfig } from './homeserver-config.ts';
import { createTestCertificate, type TestCertificate } from './tls-certificate.ts';

export interface FederationClusterOptions {
  /** How many servers. Default: 2. */
  readonly count?: number;
  /** Keys added to every member's homeserver.yaml (they win). Default: none. */
  readonly extra?: Record<string, unknown>;
  /** Keys added to one member's homeserver.yaml, by index. Default: none. */
  readonly extraFor?: (index: number) => Record<string, unknown>;
  /** More PEM files every member trusts (e.g. a Synapse peer's certificate). Default: none. */
  readonly extraCaPaths?: readonly string[];
  /** Per-process start timeout. Default: 120 s. */
  readonly startTimeoutMs?: number;
}

export interface FederationMember {
  /** `localhost:<federation port>`. */
  readonly serverName: string;
  /** Base URL of the client API, e.g. `http://127.0.0.1:41234` (valid while running). */
  readonly clientUrl: string;
  /** Base URL of the TLS federation listener, `https://localhost:<port>`. */
  readonly federationUrl: string;
  readonly federationPort: number;
  /** The member's homeserver.yaml. */
  readonly configPath: string;
  /** The member's data folder (signing key, media). */
  readonly dir: string;
  readonly certificate: TestCertificate;
  readonly database: TestPostgres;
  /** The running process; undefined while stopped. */
  readonly process: AppProcess | undefined;
  readonly running: boolean;
  /** Stops the process (SIGTERM, or the signal given); the database and files stay. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again with the same config, name, database and federation port. */
  start(): Promise<void>;
}

export interface FederationCluster {
  readonly members: readonly FederationMember[];
  /** Every certificate, for clients (fetch with a custom CA) that call a federation listener. */
  readonly caPaths: readonly string[];
  /** Stops every member and drops their databases and files. */
  close(): Promise<void>;
}

class Member implements FederationMember {
  readonly serverName: string;
  readonly federationUrl: string;
  readonly federationPort: number;
  readonly configPath: string;
  readonly dir: string;
  readonly certificate: TestCertificate;
  readonly database: TestPostgres;
  readonly #startTimeoutMs: number | undefined;
  #process: AppProcess | undefined;
  #clientUrl = '';

  constructor(init: { federationPort: number; configPath: string; dir: string; certificate: TestCertificate; database: TestPostgres; startTimeoutMs: number | undefined }) {
    this.federationPort = init.federationPort;
    this.serverName = `localhost:${init.federationPort}`;
    this.federationUrl = `https://localhost:${init.federationPort}`;
    this.configPath = init.configPath;
    this.dir = init.dir;
    this.certificate = init.certificate;
    this.database = init.database;
    this.#startTimeoutMs = init.startTimeoutMs;
  }

  get process(): AppProcess | undefined {
    return this.#process;
  }

  get running(): boolean {
    return this.#process !== undefined;
  }

  get clientUrl(): string {
    if (this.#process === undefined) throw new Error(`${this.serverName} is stopped; start() it first`);
    return this.#clientUrl;
  }

  async start(): Promise<void> {
    if (this.#process !== undefined) return;
    const started = await startAppProcess('main', {
      configFiles: [this.configPath],
      cwd: this.dir,
      ...(this.#startTimeoutMs !== undefined ? { startTimeoutMs: this.#startTimeoutMs } : {}),
    });
    const client = started.addresses[0]!;
    this.#clientUrl = `http://${client.host}:${client.port}`;
    this.#process = started;
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const running = this.#process;
    this.#process = undefined;
    if (running !== undefined) await running.stop(signal);
  }
}

/** Starts `count` federating homeservers (in parallel) and resolves once every one listens. */
export async function startFederationCluster(options: FederationClusterOptions = {}): Promise<FederationCluster> {
  const count = options.count ?? 2;
  const root = await mkdtemp(join(tmpdir(), 'hs-federation-'));
  const members: Member[] = [];
  const cleanup = async () => {
    await Promise.all(members.map((m) => m.stop().catch(() => undefined)));
    await Promise.all(members.map((m) => m.database.drop().catch(() => undefined)));
    await rm(root, { recursive: true, force: true });
  };
  try {
    const ports: number[] = [];
    const certificates: TestCertificate[] = [];
    for (let i = 0; i < count; i += 1) {
      const dir = join(root, `hs${i}`);
      await mkdir(dir);
      ports.push(await freePort());
      certificates.push(await createTestCertificate(dir));
    }
    const caPaths = [...certificates.map((c) => c.certificatePath), ...(options.extraCaPaths ?? [])];
    for (let i = 0; i < count; i += 1) {
      const dir = join(root, `hs${i}`);
      const database = await createTestDatabase('hs_fed');
      const config = testHomeserverConfig({
        serverName: `localhost:${ports[i]}`,
        postgres: database.options,
        extra: {
          listeners: [
            { port: 0, bind_addresses: ['127.0.0.1'], type: 'http', resources: [{ names: ['client', 'health', 'metrics'] }] },
            { port: ports[i], bind_addresses: ['127.0.0.1'], type: 'http', tls: true, resources: [{ names: ['federation', 'keys'] }] },
          ],
          tls_certificate_path: certificates[i]!.certificatePath,
          tls_private_key_path: certificates[i]!.privateKeyPath,
          federation_custom_ca_list: caPaths,
          ip_range_whitelist: ['127.0.0.0/8', '::1/128'],
          // A member stopped by a test is retried within seconds of its return, not after
          // Synapse's 10-minute first backoff.
          federation: { destination_min_retry_interval: '1s', destination_max_retry_interval: '10s' },
          log_level: 'info',
          ...options.extra,
          ...options.extraFor?.(i),
        },
      });
      const configPath = join(dir, 'homeserver.yaml');
      await writeFile(configPath, JSON.stringify(config, null, 2));
      members.push(new Member({ federationPort: ports[i]!, configPath, dir, certificate: certificates[i]!, database, startTimeoutMs: options.startTimeoutMs }));
    }
    await Promise.all(members.map((m) => m.start()));
    return { members, caPaths, close: cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
