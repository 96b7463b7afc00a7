// The access-token cache on embedded PGlite (one connection hears its own NOTIFYs).
import { openDatabase } from '@homeserver/storage';
import { accessTokenCacheSuite } from './access-token-cache.suite.ts';

accessTokenCacheSuite(
  'access-token cache (PGlite)',
  async () => {
    const db = await openDatabase({ kind: 'pglite' });
    return { db, other: db };
  },
  (db) => db.close(),
);
