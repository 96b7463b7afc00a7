// The access-token cache on real PostgreSQL: changes are committed through a second pool, as
// another process would, and reach the cache's LISTEN connection.
import { openDatabase } from '@homeserver/storage';
import { createTestDatabase, type TestPostgres } from '@homeserver/storage/testing';
import { accessTokenCacheSuite } from './access-token-cache.suite.ts';

let pg: TestPostgres;
accessTokenCacheSuite(
  'access-token cache (PostgreSQL)',
  async () => {
    pg = await createTestDatabase('hs_token_cache');
    const db = await openDatabase(pg.options);
    return { db, other: await openDatabase(pg.options, { migrate: false }) };
  },
  async (db, other) => {
    await other.close();
    await db.close();
    await pg.drop();
  },
);
