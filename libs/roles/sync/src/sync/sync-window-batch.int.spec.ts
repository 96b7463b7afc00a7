// syncWindows equals syncWindow per asker, and latestRoomPages each room's page read, on real
// PostgreSQL (prepared statements, a pool whose connections for generic plans run syncWindows
// and windowed pages, as in a process hosting sync).
import { openDatabase } from '@homeserver/storage';
import { createTestDatabase, type TestPostgres } from '@homeserver/storage/testing';
import { syncWindowBatchSuite } from './sync-window-batch.suite.ts';

let pg: TestPostgres;
syncWindowBatchSuite(
  'window overviews asked together (PostgreSQL)',
  async () => {
    pg = await createTestDatabase('hs_sync_window');
    return openDatabase({ ...pg.options, genericPlans: true });
  },
  async (db) => {
    await db.close();
    await pg.drop();
  },
);
