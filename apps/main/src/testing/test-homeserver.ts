// Starts the monolith in-process on 127.0.0.1 (port 0) for integration tests, on either storage
// mode: embedded PGlite in a temporary folder, or a throwaway database on the machine's PostgreSQL.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startProcess } from '@homeserver/runtime';
import { createTestDatabase, type TestPostgres } from '@homeserver/storage/testing';
import { pino } from 'pino';
import { mainModules } from '../main-modules.ts';

export type StorageMode = 'pglite' | 'postgres';

export interface TestHomeserver {
  readonly serverName: string;
  /** e.g. http://127.0.0.1:40123 */
  readonly baseUrl: string;
  stop(): Promise<void>;
}

export interface StartTestHomeserverOptions {
  /** Default: 'hs.test'. */
  readonly serverName?: string;
  /** Default: 'warn' (set HS_TEST_LOG_LEVEL to see more). */
  readonly logLevel?: string;
}

/** Rate limits high enough that a test sending thousands of events is never throttled. */
const generousRate = { per_second: 10_000, burst_count: 100_000 };

function configFor(serverName: string, database: Record<string, unknown> | undefined): Record<string, unknown> {
  return {
    server_name: serverName,
    listeners: [{ port: 0, bind_addresses: ['127.0.0.1'], type: 'http', resources: [{ names: ['client', 'health'] }] }],
    ...(database ? { database } : {}),
    enable_registration: true,
    enable_registration_without_verification: true,
    rc_message: generousRate,
    rc_registration: generousRate,
    rc_login: { address: generousRate, account: generousRate, failed_attempts: generousRate },
    rc_joins: { local: generousRate, remote: generousRate },
    rc_invites: { per_room: generousRate, per_user: generousRate },
  };
}

export async function startTestHomeserver(mode: StorageMode, options: StartTestHomeserverOptions = {}): Promise<TestHomeserver> {
  const serverName = options.serverName ?? 'hs.test';
  const dir = await mkdtemp(join(tmpdir(), `hs-int-${mode}-`));
  let pg: TestPostgres | undefined;
  try {
    if (mode === 'postgres') pg = await createTestDatabase('hs_int_main');
    const database = pg
      ? { name: 'psycopg2', args: { host: pg.options.host, port: pg.options.port, user: pg.options.user, password: pg.options.password, database: pg.options.database, cp_max: 10 } }
      : undefined;
    const configPath = join(dir, 'homeserver.yaml');
    // JSON is valid YAML, and saves quoting worries.
    await writeFile(configPath, JSON.stringify(configFor(serverName, database), null, 2));
    const logger = pino({ level: options.logLevel ?? process.env['HS_TEST_LOG_LEVEL'] ?? 'warn' });
    const running = await startProcess('main', { argv: ['-c', configPath], modules: mainModules(), cwd: dir, logger });
    const address = running.addresses[0];
    if (!address) throw new Error(`the test homeserver (${mode}) started without a listener`);
    return {
      serverName,
      baseUrl: `http://${address.host}:${address.port}`,
      stop: async () => {
        try {
          await running.stop();
        } finally {
          await pg?.drop();
          await rm(dir, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    await pg?.drop();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
