// The services a worker process needs to start, brought up around a test file: a fresh database
// on the tests' PostgreSQL and a NATS server spawned for it. Shared by the tests that run apps
// as real worker processes, with the homeserver.yaml lines that point a process at them.
import { createTestDatabase, type TestPostgres } from '@homeserver/storage/testing';
import { afterAll, beforeAll } from 'vitest';
import { startNatsServer } from './nats-server.ts';
import type { TestServer } from './spawned-server.ts';

export interface WorkerServices {
  /** homeserver.yaml's `database:` line for the test database (Synapse's psycopg2 form). */
  databaseYaml(): string;
  /** homeserver.yaml's `nats:` line for the spawned server. */
  natsYaml(): string;
}

/** Registers beforeAll/afterAll hooks that start the services and tear them down. */
export function useWorkerServices(): WorkerServices {
  let pg: TestPostgres | undefined;
  let nats: TestServer | undefined;
  beforeAll(async () => {
    pg = await createTestDatabase();
    nats = await startNatsServer();
  });
  afterAll(async () => {
    await nats?.stop();
    await pg?.drop();
  });
  const started = <T>(service: T | undefined): T => {
    if (service === undefined) throw new Error('useWorkerServices: read the services inside a test, after beforeAll');
    return service;
  };
  return {
    databaseYaml: () => {
      const o = started(pg).options;
      return `database: {name: psycopg2, args: {user: ${o.user}, password: ${o.password}, database: ${o.database}, host: ${o.host}, port: ${o.port}}}\n`;
    },
    natsYaml: () => `nats: {servers: ["${started(nats).url}"]}\n`,
  };
}
