// Background tasks (Synapse's run_background_tasks_on): periodic clean-ups that must run once in
// the deployment, whichever process hosts what. The named instance runs them under a lease, so
// a second process started with the same name (or a test runtime) never runs them twice.
import type { Leases, ExclusiveRun } from '@homeserver/actors';
import { pruneOpenIdTokens, pruneSentPushes, type Database } from '@homeserver/storage';
import type { Logger } from 'pino';
import type { Clock } from './server-context.ts';

export interface BackgroundTasksOptions {
  readonly db: Database;
  readonly leases: Leases;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Between two passes. Default: 10 minutes. */
  readonly everyMs?: number;
}

/** Sent pushes are kept this long (the pusher's outbox dedupes redelivered batches with them). */
const KEEP_SENT_PUSHES_MS = 3_600_000;

/** One pass of every task; returns what each removed. */
export async function runBackgroundTasksOnce(db: Database, now: number): Promise<{ openIdTokens: number }> {
  const openIdTokens = await pruneOpenIdTokens(db, { now });
  await pruneSentPushes(db, now - KEEP_SENT_PUSHES_MS);
  return { openIdTokens };
}

export function startBackgroundTasks(options: BackgroundTasksOptions): ExclusiveRun {
  const logger = options.logger.child({ duty: 'background-tasks' });
  return options.leases.runExclusive('background-tasks', async ({ signal }) => {
    while (!signal.aborted) {
      try {
        const removed = await runBackgroundTasksOnce(options.db, options.clock.now());
        logger.debug({ removed }, 'background tasks ran');
      } catch (error) {
        logger.warn({ err: error }, 'background tasks failed; retrying at the next pass');
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, options.everyMs ?? 600_000);
        signal.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve();
        }, { once: true });
      });
    }
  });
}
