// The homeserver.yaml tests and benchmarks start the server with: open registration and rate
// limits high enough that no test or benchmark is throttled, a port-0 client listener, and
// optionally real PostgreSQL in Synapse's `database` shape.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PostgresConnectionOptions } from '@homeserver/storage';

export interface TestHomeserverConfigOptions {
  /** Default: 'test.local'. */
  readonly serverName?: string;
  /** Real PostgreSQL; default: the embedded PGlite beside the config. */
  readonly postgres?: PostgresConnectionOptions;
  /** Pool size with PostgreSQL. Default: 10. */
  readonly poolSize?: number;
  /** Keys added last (they win). Default: none. */
  readonly extra?: Record<string, unknown>;
}

const generous = { per_second: 100_000, burst_count: 100_000 };

export function testHomeserverConfig(options: TestHomeserverConfigOptions = {}): Record<string, unknown> {
  const pg = options.postgres;
  return {
    server_name: options.serverName ?? 'test.local',
    listeners: [{ port: 0, bind_addresses: ['127.0.0.1'], type: 'http', resources: [{ names: ['client', 'health', 'metrics'] }] }],
    ...(pg
      ? { database: { name: 'psycopg2', args: { host: pg.host, port: pg.port, user: pg.user, password: pg.password, database: pg.database, cp_max: options.poolSize ?? 10 } } }
      : {}),
    enable_registration: true,
    enable_registration_without_verification: true,
    rc_message: generous,
    rc_registration: generous,
    rc_login: { address: generous, account: generous, failed_attempts: generous },
    rc_joins: { local: generous, remote: generous },
    rc_invites: { per_room: generous, per_user: generous },
    ...options.extra,
  };
}

/** Writes homeserver.yaml into `dir` (JSON is valid YAML) and returns its path. */
export async function writeTestHomeserverConfig(dir: string, options: TestHomeserverConfigOptions = {}): Promise<string> {
  const path = join(dir, 'homeserver.yaml');
  await writeFile(path, JSON.stringify(testHomeserverConfig(options), null, 2));
  return path;
}
