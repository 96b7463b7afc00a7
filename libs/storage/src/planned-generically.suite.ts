// Shared by prepared.int.spec.ts (PostgreSQL, one connection) and pglite-prepared.spec.ts: a
// transaction asked to plan generically does so for its own statements, and the setting ends
// with it, committed or rolled back.
import { expect } from 'vitest';
import type { Database } from './database.ts';
import { prepared } from './prepared.ts';

export async function expectTransactionPlannedGenericallyAlone(db: Database): Promise<void> {
  const mode = prepared('SELECT current_setting($1) AS mode -- in a transaction');
  const modeIn = async (options?: { plannedGenerically: boolean }) =>
    db.transaction(async (tx) => (await tx.query<{ mode: string }>(mode, ['plan_cache_mode'])).rows[0]!.mode, options);
  expect(await modeIn({ plannedGenerically: true })).toBe('force_generic_plan');
  expect(await modeIn()).toBe('auto');
  expect((await db.query<{ mode: string }>(mode, ['plan_cache_mode'])).rows[0]!.mode).toBe('auto');
  await expect(db.transaction(async () => Promise.reject(new Error('rolled back')), { plannedGenerically: true })).rejects.toThrow('rolled back');
  expect(await modeIn({ plannedGenerically: false })).toBe('auto');
}
