// Search storage on real PostgreSQL: the same suite as on PGlite, on a throwaway database.
import { openDatabase } from '../open-database.ts';
import { createTestDatabase, type TestPostgres } from '../testing/test-database.ts';
import { searchQueriesSuite } from './search-queries.suite.ts';

let pg: TestPostgres;
searchQueriesSuite(
  'search storage (PostgreSQL)',
  async () => {
    pg = await createTestDatabase('hs_search');
    return openDatabase(pg.options);
  },
  async (db) => {
    await db.close();
    await pg.drop();
  },
);
