// Rooms storage on real PostgreSQL: the same suite as on PGlite, on a throwaway database.
import { openDatabase } from '../open-database.ts';
import { createTestDatabase, type TestPostgres } from '../testing/test-database.ts';
import { roomsStorageSuite } from './rooms-storage.suite.ts';

let pg: TestPostgres;
roomsStorageSuite(
  'rooms storage (PostgreSQL)',
  async () => {
    pg = await createTestDatabase('hs_rooms');
    return openDatabase(pg.options);
  },
  async (db) => {
    await db.close();
    await pg.drop();
  },
);
