// Test support (exported as @homeserver/storage/testing). Throwaway PostgreSQL databases on the machine's server, one per test file, dropped after.
// Connection settings come from HS_TEST_PG_* (defaults: 127.0.0.1:5432, postgres/postgres);
// tools/services/ensure-services.sh makes those defaults true on a fresh machine.
import { randomBytes } from 'node:crypto';
import { openDatabase } from '../open-database.ts';
import type { PostgresConnectionOptions } from '../database.ts';

export interface TestPostgres {
  readonly options: PostgresConnectionOptions & { readonly kind: 'postgres' };
  drop(): Promise<void>;
}

export function testPostgresServer(): PostgresConnectionOptions {
  const env = process.env;
  return {
    host: env.HS_TEST_PG_HOST ?? '127.0.0.1',
    port: Number(env.HS_TEST_PG_PORT ?? 5432),
    user: env.HS_TEST_PG_USER ?? 'postgres',
    password: env.HS_TEST_PG_PASSWORD ?? 'postgres',
  };
}

/** Creates an empty database; fails loudly (with the connection settings) if the server is down. */
export async function createTestDatabase(prefix = 'hs_test'): Promise<TestPostgres> {
  const server = testPostgresServer();
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = await openDatabase({ kind: 'postgres', ...server, database: 'postgres', maxConnections: 1 }, { migrate: false });
  try {
    await admin.exec(`CREATE DATABASE ${name}`);
  } catch (error) {
    throw new Error(`cannot create a test database on PostgreSQL ${server.host}:${server.port} as ${server.user} (run tools/services/ensure-services.sh): ${(error as Error).message}`, { cause: error });
  } finally {
    await admin.close();
  }
  return {
    options: { kind: 'postgres', ...server, database: name },
    drop: async () => {
      const cleaner = await openDatabase({ kind: 'postgres', ...server, database: 'postgres', maxConnections: 1 }, { migrate: false });
      try {
        await cleaner.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await cleaner.close();
      }
    },
  };
}
