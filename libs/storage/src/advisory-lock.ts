// Session-scoped PostgreSQL advisory locks: the primitive under leases for run-once duties.
// The lock lives as long as the session's connection, so a crashed holder frees it at once.
import type { Database, Session } from './database.ts';

export interface AdvisoryLock {
  readonly name: string;
  /** Resolves when the lock is released or lost. */
  readonly lost: Promise<void>;
  release(): Promise<void>;
}

/** Takes the named lock if free; returns undefined when another session holds it. */
export async function tryAdvisoryLock(db: Database, name: string): Promise<AdvisoryLock | undefined> {
  const session: Session = await db.acquireSession();
  let acquired = false;
  try {
    const { rows } = await session.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked', [name]);
    acquired = rows[0]?.locked === true;
  } finally {
    if (!acquired) await session.release();
  }
  if (!acquired) return undefined;
  let markLost: () => void = () => {};
  const lost = new Promise<void>((resolve) => (markLost = resolve));
  session.onLost(() => markLost());
  let released = false;
  return {
    name,
    lost,
    release: async () => {
      if (released) return;
      released = true;
      try {
        await session.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [name]);
      } finally {
        await session.release();
        markLost();
      }
    },
  };
}
