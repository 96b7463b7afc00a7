// The access-token cache suite, on PGlite (access-token-cache.spec.ts) and on real PostgreSQL
// (access-token-cache.int.spec.ts, where the change is committed through another connection):
// a token seen once is resolved with no statement; a logout, a device's tokens deleted, a lock,
// an admin flag or a deactivation committed anywhere makes the next resolve read it again.
import { insertAccessToken, insertUser, lookupAccessToken, markUserDeactivated, setUserAdmin, setUserFlags, deleteUserTokens, type Database, type Queryable } from '@homeserver/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessTokenCache } from './access-token-cache.ts';
import { hashToken } from './access-token-auth.ts';

/**
 * Registers the suite. `open` gives the database the cache reads and a second handle on it
 * through which the test commits changes (another connection on PostgreSQL, the same on PGlite).
 */
export function accessTokenCacheSuite(name: string, open: () => Promise<{ db: Database; other: Database }>, close: (db: Database, other: Database) => Promise<void>): void {
  let db: Database;
  let other: Database;
  let cache: AccessTokenCache;
  let lookups = 0;
  const lookup = (hash: string) => {
    lookups++;
    return lookupAccessToken(db, hash);
  };

  beforeAll(async () => {
    ({ db, other } = await open());
    cache = await AccessTokenCache.start(db);
  });
  afterAll(async () => {
    await cache.stop();
    await close(db, other);
  });

  let n = 0;
  async function userWithToken(tx: Queryable = other): Promise<{ userId: string; token: string; id: number }> {
    const userId = `@u${++n}:test`;
    await insertUser(tx, { userId, passwordHash: null, createdTs: 1 });
    const token = `token-${n}`;
    const id = await insertAccessToken(tx, { tokenHash: hashToken(token), userId, deviceId: 'D', validUntilMs: null, refreshTokenId: null, createdTs: 1 });
    return { userId, token, id };
  }

  /** Resolves until the cache answers `done` (a NOTIFY arrives asynchronously after the commit). */
  async function until(token: string, done: (info: Awaited<ReturnType<typeof lookupAccessToken>>) => boolean) {
    for (;;) {
      const info = await cache.resolve(hashToken(token), lookup);
      if (done(info)) return info;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  describe(name, () => {
    it('resolves a token seen before with no lookup, and reads it again once it was deleted', async () => {
      const alice = await userWithToken();
      lookups = 0;
      expect((await cache.resolve(hashToken(alice.token), lookup))?.userId).toBe(alice.userId);
      expect((await cache.resolve(hashToken(alice.token), lookup))?.userId).toBe(alice.userId);
      expect(lookups).toBe(1);
      await other.query('DELETE FROM access_tokens WHERE id = $1', [alice.id]);
      expect(await until(alice.token, (info) => info === undefined)).toBeUndefined();
      // Unknown tokens are not remembered.
      lookups = 0;
      await cache.resolve(hashToken(alice.token), lookup);
      expect(lookups).toBe(1);
    });

    it('reads again after a change of the user: deactivation, lock, admin flag, all tokens revoked', async () => {
      const changes: Array<[string, (userId: string) => Promise<unknown>, (info: Awaited<ReturnType<typeof lookupAccessToken>>) => boolean]> = [
        ['deactivated', (userId) => other.transaction((tx) => markUserDeactivated(tx, userId)), (info) => info?.deactivated === true],
        ['locked', (userId) => setUserFlags(other, userId, { locked: true }), (info) => info?.locked === true],
        ['admin', (userId) => setUserAdmin(other, userId, true), (info) => info?.admin === true],
        ['revoked', (userId) => other.transaction((tx) => deleteUserTokens(tx, userId)), (info) => info === undefined],
      ];
      for (const [, change, changed] of changes) {
        const user = await userWithToken();
        const before = await cache.resolve(hashToken(user.token), lookup);
        expect(changed(before)).toBe(false);
        await change(user.userId);
        await until(user.token, changed);
      }
    });

    it('keeps the tokens of other users when one user changes', async () => {
      const [carol, dave] = [await userWithToken(), await userWithToken()];
      await cache.resolve(hashToken(carol.token), lookup);
      await cache.resolve(hashToken(dave.token), lookup);
      await other.query('DELETE FROM access_tokens WHERE id = $1', [carol.id]);
      await until(carol.token, (info) => info === undefined);
      lookups = 0;
      expect((await cache.resolve(hashToken(dave.token), lookup))?.userId).toBe(dave.userId);
      expect(lookups).toBe(0);
    });
  });
}
