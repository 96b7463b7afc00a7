// Starts the monolith in this process (the same role modules as apps/main) on a free port with
// open registration and raised rate limits, and lists every route its roles registered (the
// runtime records them), so a test can walk the server's real route table instead of a
// hand-kept list.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startProcess } from '@homeserver/runtime';
import type { Database } from '@homeserver/storage';
import { pino } from 'pino';
import { writeTestHomeserverConfig } from '@homeserver/testing';
import { mainModules } from '../../main-modules.ts';

/** One method on one route URL as Fastify knows it (`/_matrix/client/v3/rooms/:roomId/join`). */
export interface RegisteredRoute {
  readonly method: string;
  readonly url: string;
}

export interface TestMonolith {
  readonly baseUrl: string;
  /** Every method + URL registered on the client listener, in registration order, deduplicated. */
  readonly routes: readonly RegisteredRoute[];
  /** The server's database (tests seed what no API writes, e.g. another server's key). */
  readonly db: Database;
  stop(): Promise<void>;
}

export interface StartTestMonolithOptions {
  /** Extra YAML appended to the config. Default: none. */
  readonly extraConfig?: Record<string, unknown>;
  /** pino level of the server's logs. Default: `error` (5xx are logged there). */
  readonly logLevel?: string;
}

export async function startTestMonolith(options: StartTestMonolithOptions = {}): Promise<TestMonolith> {
  const dir = await mkdtemp(join(tmpdir(), 'hs-bad-input-'));
  const file = await writeTestHomeserverConfig(dir, { extra: options.extraConfig });
  const running = await startProcess('main', { argv: ['-c', file], modules: mainModules(), logger: pino({ level: options.logLevel ?? 'error' }) });
  const address = running.addresses[0];
  if (address === undefined) throw new Error('the test monolith started without a listener');
  return {
    baseUrl: `http://${address.host}:${address.port}`,
    routes: running.routes.map(({ method, url }) => ({ method, url })),
    db: running.context.db,
    async stop() {
      await running.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
