// Unread summaries on embedded PGlite (the suite is shared with the PostgreSQL int test).
import { openDatabase } from '../open-database.ts';
import { pushSummarySuite } from './push-summary.suite.ts';

pushSummarySuite('unread summaries (PGlite)', () => openDatabase({ kind: 'pglite' }), (db) => db.close());
