// Starts the monolith in-process on 127.0.0.1 (port 0) for integration tests, on either storage
// mode: embedded PGlite in a temporary folder, or a throwaway database on the machine's PostgreSQL.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startProcess } from '@homeserver/runtime';
import type { Database } from '@homeserver/storage';
import { createTestDatabase, type TestPostgres } from '@homeserver/storage/testing';
import { pino } from 'pino';
import { mainModules } from '../main-modules.ts';
import { writeTestHomeserverConfig } from '@homeserver/testing';

export type StorageMode = 'pglite' | 'postgres';

export interface TestHomeserver {
  readonly serverName: string;
  /** e.g. http://127.0.0.1:40123 */
  readonly baseUrl: string;
  /** Every bound address, listener by listener (see RunningProcess.addresses). */
  readonly addresses: readonly { host: string; port: number }[];
  /** The server's own database handle, for tests that plant rows it must cope with. */
  readonly db: Database;
  /** The homeserver.yaml it runs with (e.g. for tools/proxy-config). */
  readonly configPath: string;
  stop(): Promise<void>;
}

export interface StartTestHomeserverOptions {
  /** Default: 'hs.test'. */
  readonly serverName?: string;
  /** Default: 'warn' (set HS_TEST_LOG_LEVEL to see more). */
  readonly logLevel?: string;
  /** homeserver.yaml keys added last (e.g. turn_uris). Default: none. */
  readonly extra?: Record<string, unknown>;
}

export async function startTestHomeserver(mode: StorageMode, options: StartTestHomeserverOptions = {}): Promise<TestHomeserver> {
  const serverName = options.serverName ?? 'hs.test';
  const dir = await mkdtemp(join(tmpdir(), `hs-int-${mode}-`));
  let pg: TestPostgres | undefined;
  try {
    if (mode === 'postgres') pg = await createTestDatabase('hs_int_main');
    const configPath = await writeTestHomeserverConfig(dir, { serverName, postgres: pg?.options, extra: options.extra });
    const logger = pino({ level: options.logLevel ?? process.env['HS_TEST_LOG_LEVEL'] ?? 'warn' });
    const running = await startProcess('main', { argv: ['-c', configPath], modules: mainModules(), cwd: dir, logger });
    const address = running.addresses[0];
    if (!address) throw new Error(`the test homeserver (${mode}) started without a listener`);
    return {
      serverName,
      baseUrl: `http://${address.host}:${address.port}`,
      addresses: running.addresses,
      db: running.context.db,
      configPath,
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
