// The media app as a worker process on real PostgreSQL and NATS.
import { afterAll, beforeAll, describe } from 'vitest';
import { createTestDatabase, type TestPostgres } from '@homeserver/storage/testing';
import { itServesHealthAndDrains, startNatsServer, writeConfigFiles, type TestServer } from '@homeserver/testing';

let pg: TestPostgres;
let nats: TestServer;
beforeAll(async () => {
  pg = await createTestDatabase();
  nats = await startNatsServer();
});
afterAll(async () => {
  await nats?.stop();
  await pg?.drop();
});

describe('media worker process', () => {
  itServesHealthAndDrains('media', async () => {
    const o = pg.options;
    const paths = await writeConfigFiles({
      'homeserver.yaml': `server_name: test.local\ndatabase: {name: psycopg2, args: {user: ${o.user}, password: ${o.password}, database: ${o.database}, host: ${o.host}, port: ${o.port}}}\nnats: {servers: ["${nats.url}"]}\n`,
      'worker.yaml': 'worker_app: media\nworker_name: media1\nworker_listeners: [{port: 0, type: http, resources: [{names: [health, metrics]}]}]\n',
    });
    return [paths['homeserver.yaml']!, paths['worker.yaml']!];
  }, 'media1');
});
