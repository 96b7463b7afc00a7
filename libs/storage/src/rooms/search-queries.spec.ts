// Search storage on embedded PGlite (the suite is shared with the PostgreSQL int test).
import { openDatabase } from '../open-database.ts';
import { searchQueriesSuite } from './search-queries.suite.ts';

searchQueriesSuite('search storage (PGlite)', () => openDatabase({ kind: 'pglite' }), (db) => db.close());
