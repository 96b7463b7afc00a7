// One live process per worker_name. Two processes with one name would both host the same
// actors and write as the same stream writer, forking rooms (issue 8). Each process holds a
// session-scoped PostgreSQL advisory lock named after its worker_name for its whole life: a
// second process finds it taken and refuses to start; a process killed with -9 loses its
// connection, PostgreSQL frees the lock, and the name is usable again at once.
import type { Database } from '@homeserver/storage';
import { tryAdvisoryLock, type AdvisoryLock } from '@homeserver/storage';
import type { Logger } from 'pino';

/** Another live process already runs under this worker_name. */
export class WorkerNameTakenError extends Error {
  override name = 'WorkerNameTakenError';
  readonly workerName: string;
  constructor(workerName: string) {
    super(`worker_name ${JSON.stringify(workerName)} is already live: another process holds it (its PostgreSQL advisory lock "worker_name:${workerName}" is taken); give this process its own worker_name or stop the other one`);
    this.workerName = workerName;
  }
}

const lockName = (workerName: string) => `worker_name:${workerName}`;
/** After losing the lock's connection, how often to try taking it back. */
const RETAKE_EVERY_MS = 1000;

export interface WorkerNameLock {
  release(): Promise<void>;
}

/**
 * Takes the lock or throws WorkerNameTakenError. If the lock's connection is lost later (a
 * database restart), it is taken back; `onTaken` runs if another process got it meanwhile,
 * because this process can then no longer tell that it is the only one under its name.
 */
export async function holdWorkerName(db: Database, workerName: string, options: { logger: Logger; onTaken: (error: WorkerNameTakenError) => void }): Promise<WorkerNameLock> {
  let lock: AdvisoryLock | undefined = await tryAdvisoryLock(db, lockName(workerName));
  if (!lock) throw new WorkerNameTakenError(workerName);
  let released = false;
  const watch = (held: AdvisoryLock) => {
    void held.lost.then(async () => {
      if (released) return;
      options.logger.warn({ workerName }, 'lost the worker_name lock with its database connection; taking it back');
      while (!released) {
        await new Promise((resolve) => setTimeout(resolve, RETAKE_EVERY_MS));
        if (released) return;
        try {
          const again = await tryAdvisoryLock(db, lockName(workerName));
          if (released) return void (await again?.release());
          if (!again) return options.onTaken(new WorkerNameTakenError(workerName));
          lock = again;
          options.logger.info({ workerName }, 'worker_name lock taken back');
          return watch(again);
        } catch (error) {
          options.logger.warn({ err: error, workerName }, 'could not take the worker_name lock back yet; retrying');
        }
      }
    });
  };
  watch(lock);
  return {
    release: async () => {
      released = true;
      // An unlock can only fail on a broken connection, and a broken connection frees the lock.
      await lock?.release().catch(() => {});
    },
  };
}
