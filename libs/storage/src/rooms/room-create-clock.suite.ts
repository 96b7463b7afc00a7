// nextCreateEventTimestamp on PGlite (room-create-clock.spec.ts) and PostgreSQL (.int.spec.ts):
// concurrent calls for one sender in the same millisecond all get distinct timestamps.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../database.ts';
import { nextCreateEventTimestamp } from './room-create-clock.ts';

export function roomCreateClockSuite(name: string, open: () => Promise<Database>, close: (db: Database) => Promise<void>): void {
  describe(name, () => {
    let db: Database;
    beforeAll(async () => {
      db = await open();
    }, 120_000);
    afterAll(async () => {
      if (db) await close(db);
    });

    it('hands out now, then one past the last when the clock has not moved on', async () => {
      expect(await nextCreateEventTimestamp(db, '@a:x', 1_000)).toBe(1_000);
      expect(await nextCreateEventTimestamp(db, '@a:x', 1_000)).toBe(1_001);
      expect(await nextCreateEventTimestamp(db, '@a:x', 900)).toBe(1_002);
      expect(await nextCreateEventTimestamp(db, '@a:x', 5_000)).toBe(5_000);
      expect(await nextCreateEventTimestamp(db, '@b:x', 1_000)).toBe(1_000);
    });

    it('gives 50 concurrent calls for one sender in one millisecond 50 distinct timestamps', async () => {
      const now = Date.now();
      const all = await Promise.all(Array.from({ length: 50 }, () => nextCreateEventTimestamp(db, '@c:x', now)));
      expect(new Set(all).size).toBe(50);
      expect(Math.min(...all)).toBe(now);
    });
  });
}
