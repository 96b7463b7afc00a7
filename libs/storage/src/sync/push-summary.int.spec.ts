// Unread summaries on real PostgreSQL (row locks between concurrent transactions are real here).
import { openDatabase } from '../open-database.ts';
import { createTestDatabase, type TestPostgres } from '../testing/test-database.ts';
import { pushSummarySuite } from './push-summary.suite.ts';

let pg: TestPostgres;
pushSummarySuite(
  'unread summaries (PostgreSQL)',
  async () => {
    pg = await createTestDatabase('hs_push_summary');
    return openDatabase(pg.options);
  },
  async (db) => {
    await db.close();
    await pg.drop();
  },
);
