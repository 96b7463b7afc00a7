// Long-polls woken together answer as computed alone, on real PostgreSQL (a pool: the reads
// started together run at once).
import { openDatabase } from '@homeserver/storage';
import { createTestDatabase, type TestPostgres } from '@homeserver/storage/testing';
import { wokenTogetherSuite } from './woken-together.suite.ts';

wokenTogetherSuite('long-polls woken together (PostgreSQL)', () => {
  let pg: TestPostgres | undefined;
  return {
    async open() {
      pg = await createTestDatabase('hs_woken_together');
      return openDatabase(pg.options);
    },
    drop: async () => pg?.drop(),
  };
});
