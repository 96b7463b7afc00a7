// The worker_name lock on real PostgreSQL: one holder at a time; when the holder's connection is
// cut (database restart, network), it takes the name back if it is still free, and is told to
// stop if another process took it meanwhile.
import { openDatabase, type Database } from '@homeserver/storage';
import { createTestDatabase, type TestPostgres } from '@homeserver/storage/testing';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdWorkerName, WorkerNameTakenError } from './worker-name-lock.ts';

const logger = pino({ level: 'silent' });
let pg: TestPostgres;
const open: Database[] = [];
beforeAll(async () => {
  pg = await createTestDatabase();
});
afterAll(async () => {
  for (const db of open) await db.close();
  await pg?.drop();
});

async function database(): Promise<Database> {
  const db = await openDatabase(pg.options, { migrate: false });
  open.push(db);
  return db;
}

/** Advisory locks granted in this test's own database (the server is shared with other suites). */
const THIS_DATABASE = "locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())";

/** Ends the backend holding this database's advisory lock, as a network cut would; its pid. */
async function cutLockConnection(admin: Database): Promise<number> {
  const { rows } = await admin.query<{ pid: number; killed: boolean }>(
    `SELECT pid, pg_terminate_backend(pid) AS killed FROM pg_locks WHERE ${THIS_DATABASE}`,
  );
  expect(rows.map((r) => r.killed)).toEqual([true]);
  return rows[0]!.pid;
}

/** The backends holding this database's advisory locks (a terminated backend's lingers until it has exited). */
async function lockHolders(admin: Database): Promise<number[]> {
  return (await admin.query<{ pid: number }>(`SELECT pid FROM pg_locks WHERE ${THIS_DATABASE}`)).rows.map((r) => r.pid);
}

async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('holdWorkerName', () => {
  it('lets one process hold a name, takes it back after a cut connection, and frees it on release', async () => {
    const [one, two, admin] = [await database(), await database(), await database()];
    const taken: WorkerNameTakenError[] = [];
    const lock = await holdWorkerName(one, 'w-retake', { logger, onTaken: (error) => taken.push(error) });
    await expect(holdWorkerName(two, 'w-retake', { logger, onTaken: () => {} })).rejects.toBeInstanceOf(WorkerNameTakenError);
    const cut = await cutLockConnection(admin);
    // Taken back by its holder on a new connection: another process still cannot have it.
    await until(async () => {
      const holders = await lockHolders(admin);
      return holders.length === 1 && holders[0] !== cut;
    }, 'the lock to be taken back');
    await expect(holdWorkerName(two, 'w-retake', { logger, onTaken: () => {} })).rejects.toBeInstanceOf(WorkerNameTakenError);
    expect(taken).toEqual([]);
    await lock.release();
    const next = await holdWorkerName(two, 'w-retake', { logger, onTaken: () => {} });
    await next.release();
  });

  it('tells the holder to stop when another process took the name while its connection was cut', async () => {
    const [one, two, admin] = [await database(), await database(), await database()];
    const taken: WorkerNameTakenError[] = [];
    const lock = await holdWorkerName(one, 'w-stolen', { logger, onTaken: (error) => taken.push(error) });
    const cut = await cutLockConnection(admin);
    await until(async () => !(await lockHolders(admin)).includes(cut), 'the cut connection to end');
    // The other process gets in first (the holder waits a second before retaking).
    const thief = await holdWorkerName(two, 'w-stolen', { logger, onTaken: () => {} });
    await until(() => taken.length > 0, 'the holder to learn it lost its name');
    expect(taken[0]!.message).toContain('worker_name "w-stolen" is already live');
    await thief.release();
    await lock.release();
  });
});
