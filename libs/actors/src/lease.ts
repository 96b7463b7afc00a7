// Leases for run-once duties (media cleanup, background jobs, the user directory): every
// process that may run a duty contends for it, exactly one holds it and runs it, the others
// poll and take over when the holder dies. The lease is a session-scoped PostgreSQL advisory
// lock (tryAdvisoryLock): a dead holder's connection drops, the server frees the lock, and the
// next poll of another process wins it. No hidden singletons (ARCHITECTURE principle 7).
//
// The duty runs until its signal aborts (lease lost or stop()); it must honour the signal, since
// a duty that keeps running after losing its lease may overlap with the new holder's run. If the
// duty returns or throws on its own, the lease is released and contention resumes after one poll
// interval, so a crashed duty is restarted, possibly in another process.
import type { Database } from '@homeserver/storage';
import { tryAdvisoryLock } from '@homeserver/storage';
import { silentActorLogger, type ActorLogger } from './actor-logger.ts';

export interface LeasesOptions {
  /** How often a process that does not hold a lease tries to take it. Default: 5000 ms. */
  readonly pollIntervalMs?: number;
  /** Prefix of the advisory lock names, so leases never collide with other locks. Default: 'lease:'. */
  readonly lockPrefix?: string;
  /** Default: silent. */
  readonly logger?: ActorLogger;
}

/** What a duty gets while its process holds the lease. */
export interface HeldLease {
  readonly name: string;
  /** Aborted when the lease is lost or the run is stopped; the duty must then return promptly. */
  readonly signal: AbortSignal;
}

export type Duty = (lease: HeldLease) => void | Promise<void>;

export interface ExclusiveRun {
  readonly name: string;
  /** True while this process holds the lease and its duty runs. */
  readonly holding: boolean;
  /** Stops contending; if holding, aborts the duty, waits for it to return, then releases the lease. */
  stop(): Promise<void>;
}

/** Why a duty's signal was aborted. */
export class LeaseLostError extends Error {
  override name = 'LeaseLostError';
  constructor(lease: string) {
    super(`lease ${JSON.stringify(lease)} was lost (its database connection ended); stop the duty`);
  }
}

export class LeaseStoppedError extends Error {
  override name = 'LeaseStoppedError';
  constructor(lease: string) {
    super(`lease ${JSON.stringify(lease)} is being given up because its run was stopped`);
  }
}

export const DEFAULT_LEASE_POLL_INTERVAL_MS = 5000;

export class Leases {
  #db: Database;
  #pollIntervalMs: number;
  #lockPrefix: string;
  #logger: ActorLogger;
  #runs = new Set<ExclusiveRun>();

  constructor(db: Database, options: LeasesOptions = {}) {
    this.#db = db;
    this.#pollIntervalMs = options.pollIntervalMs ?? DEFAULT_LEASE_POLL_INTERVAL_MS;
    this.#lockPrefix = options.lockPrefix ?? 'lease:';
    this.#logger = options.logger ?? silentActorLogger;
  }

  /** Starts contending for lease `name`; `duty` runs whenever this process holds it. */
  runExclusive(name: string, duty: Duty): ExclusiveRun {
    const db = this.#db;
    const lockName = this.#lockPrefix + name;
    const pollIntervalMs = this.#pollIntervalMs;
    const logger = this.#logger;
    let holding = false;
    let stopping = false;
    let wakeStop: () => void = () => {};
    let cancelWait: () => void = () => {};
    const stopped = new Promise<void>((resolve) => (wakeStop = resolve));

    const hold = async (lock: { lost: Promise<void>; release(): Promise<void> }): Promise<void> => {
      const controller = new AbortController();
      holding = true;
      logger.info({ lease: name }, 'lease acquired; running its duty');
      void lock.lost.then(() => controller.abort(new LeaseLostError(name)));
      void stopped.then(() => controller.abort(new LeaseStoppedError(name)));
      const outcome = Promise.resolve()
        .then(() => duty({ name, signal: controller.signal }))
        .catch((error: unknown) => logger.error({ err: error, lease: name }, 'lease duty threw; releasing the lease'));
      await Promise.race([outcome, lock.lost, stopped]);
      if (controller.signal.aborted && controller.signal.reason instanceof LeaseLostError) {
        logger.warn({ lease: name }, 'lease lost; stopping its duty');
      }
      controller.abort(new LeaseStoppedError(name));
      await outcome;
      holding = false;
      await lock.release().catch((error: unknown) => logger.warn({ err: error, lease: name }, 'could not release lease (its connection is probably gone)'));
    };

    const loop = async (): Promise<void> => {
      while (!stopping) {
        try {
          const lock = await tryAdvisoryLock(db, lockName);
          if (lock && !stopping) await hold(lock);
          else await lock?.release();
        } catch (error) {
          logger.warn({ err: error, lease: name }, 'could not try the lease; will retry');
        }
        if (stopping) break;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pollIntervalMs);
          cancelWait = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        cancelWait = () => {};
      }
    };
    const running = loop();

    const run: ExclusiveRun = {
      name,
      get holding() {
        return holding;
      },
      stop: async () => {
        stopping = true;
        wakeStop();
        cancelWait();
        await running;
        this.#runs.delete(run);
      },
    };
    this.#runs.add(run);
    return run;
  }

  /** Stops every run started here (shutdown). */
  async stopAll(): Promise<void> {
    await Promise.all([...this.#runs].map((run) => run.stop()));
  }
}
