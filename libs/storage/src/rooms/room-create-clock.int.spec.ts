// The create-event clock on real PostgreSQL (pool of several connections): the same suite as on PGlite.
import { openDatabase } from '../open-database.ts';
import { createTestDatabase, type TestPostgres } from '../testing/test-database.ts';
import { roomCreateClockSuite } from './room-create-clock.suite.ts';

let pg: TestPostgres;
roomCreateClockSuite(
  'room create clock (PostgreSQL)',
  async () => {
    pg = await createTestDatabase('hs_create_clock');
    return openDatabase(pg.options);
  },
  async (db) => {
    await db.close();
    await pg.drop();
  },
);
