// Retries the resync of remote device lists left stale (their server could not be reached when
// a gap was seen). Without it a stale list is fetched again only when a client asks /keys/query
// for that user, so clients that trust their own cache keep an outdated list meanwhile. Every
// round asks a batch of stale users' actors to refresh, one at a time (their server may be down:
// one slow destination must not pile up requests), going on through the stale users in ID order
// at the next round, so every stale list gets its turn however many there are. Synapse retries
// stale lists on a timer as well.
import type { RemoteDeviceLists } from '@homeserver/services';
import { staleRemoteDeviceListUsers, type Queryable } from '@homeserver/storage';
import type { Logger } from 'pino';

export interface StaleListRetryOptions {
  readonly db: Queryable;
  readonly lists: RemoteDeviceLists;
  readonly logger: Logger;
  /** Pause between rounds. Default: 30 s. */
  readonly intervalMs?: number;
  /** Users refreshed per round. Default: 20. */
  readonly batch?: number;
  /** How long one refresh may wait for the user's server. Default: 10 s. */
  readonly timeoutMs?: number;
}

export function startStaleListRetry(options: StaleListRetryOptions): { stop(): Promise<void> } {
  const { db, lists, logger } = options;
  const intervalMs = options.intervalMs ?? 30_000;
  const batch = options.batch ?? 20;
  const timeoutMs = options.timeoutMs ?? 10_000;
  let after = '';
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let round: Promise<void> = Promise.resolve();

  async function runRound(): Promise<void> {
    const users = await staleRemoteDeviceListUsers(db, after, batch);
    for (const userId of users) {
      if (stopped) return;
      const current = await lists.refresh(userId, timeoutMs).catch((error: unknown) => {
        logger.debug({ err: error, userId }, 'stale remote device list not refreshed this round');
        return false;
      });
      if (current) logger.info({ userId }, 'stale remote device list resynced');
    }
    // A short batch reached the end of the stale users: the next round starts from the first.
    after = users.length < batch ? '' : users[users.length - 1]!;
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      round = runRound()
        .catch((error: unknown) => logger.warn({ err: error }, 'stale remote device list retry round failed'))
        .finally(schedule);
    }, intervalMs);
    timer.unref();
  }
  schedule();

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await round;
    },
  };
}
