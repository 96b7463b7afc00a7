// The create-event clock on embedded PGlite (the suite is shared with the PostgreSQL int test).
import { openDatabase } from '../open-database.ts';
import { roomCreateClockSuite } from './room-create-clock.suite.ts';

roomCreateClockSuite('room create clock (PGlite)', () => openDatabase({ kind: 'pglite' }), (db) => db.close());
