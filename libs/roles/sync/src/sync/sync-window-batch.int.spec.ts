// syncWindows equals syncWindow per asker on real PostgreSQL (prepared statements, a pool).
import { openDatabase } from '@homeserver/storage';
import { createTestDatabase, type TestPostgres } from '@homeserver/storage/testing';
import { syncWindowBatchSuite } from './sync-window-batch.suite.ts';

let pg: TestPostgres;
syncWindowBatchSuite(
  'window overviews asked together (PostgreSQL)',
  async () => {
    pg = await createTestDatabase('hs_sync_window');
    return openDatabase(pg.options);
  },
  async (db) => {
    await db.close();
    await pg.drop();
  },
);
