// Rooms storage on embedded PGlite (the suite is shared with the PostgreSQL int test).
import { openDatabase } from '../open-database.ts';
import { roomsStorageSuite } from './rooms-storage.suite.ts';

roomsStorageSuite('rooms storage (PGlite)', () => openDatabase({ kind: 'pglite' }), (db) => db.close());
