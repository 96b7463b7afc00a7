// A woken dormant sync process answers as one that never slept, on real PostgreSQL (a pool:
// the wake's position queries and the reads of the first request run at once).
import { openDatabase } from '@homeserver/storage';
import { createTestDatabase, type TestPostgres } from '@homeserver/storage/testing';
import { dormantViewsSuite } from './dormant-views.suite.ts';

dormantViewsSuite('dormant sync views (PostgreSQL)', () => {
  let pg: TestPostgres | undefined;
  return {
    async open() {
      pg = await createTestDatabase('hs_dormant_views');
      return openDatabase(pg.options);
    },
    drop: async () => pg?.drop(),
  };
});
