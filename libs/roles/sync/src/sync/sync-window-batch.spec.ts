// syncWindows equals syncWindow per asker on the embedded default (PGlite).
import { openDatabase } from '@homeserver/storage';
import { syncWindowBatchSuite } from './sync-window-batch.suite.ts';

syncWindowBatchSuite(
  'window overviews asked together (PGlite)',
  () => openDatabase({ kind: 'pglite' }),
  (db) => db.close(),
);
