// The media role's run-once duties, held under a lease (ARCHITECTURE principle 7): expiry of
// async uploads never uploaded and media_retention. Every process hosting the media role (or
// the ones media_instance_running_background_jobs names) contends for the lease; exactly one
// runs the duties, and when it dies another takes the lease at its next poll and carries on.
import type { ExclusiveRun, Leases } from '@homeserver/actors';
import type { Logger } from 'pino';
import { Counter, Gauge, type Registry } from '@homeserver/http';
import type { MediaRepository } from '../media-repository.ts';

export const MEDIA_JOBS_LEASE = 'media_background_jobs';

export interface MediaJobsOptions {
  readonly repository: MediaRepository;
  readonly leases: Leases;
  readonly logger: Logger;
  readonly registry: Registry;
  /** Time between runs while holding the lease, in ms. */
  readonly intervalMs: number;
}

/** How often to run: often enough that a reservation expires within half its lifetime, at least once a minute. */
export function jobsIntervalMs(unusedExpirationTimeMs: number): number {
  return Math.min(60_000, Math.max(1000, Math.floor(unusedExpirationTimeMs / 2)));
}

export function startMediaJobs(options: MediaJobsOptions): ExclusiveRun {
  const held = new Gauge({ name: 'media_background_jobs_lease_held', help: '1 while this process holds the media background-jobs lease', registers: [options.registry] });
  const runs = new Counter({ name: 'media_background_job_runs_total', help: 'Runs of the media background jobs in this process', registers: [options.registry] });
  const removed = new Counter({ name: 'media_background_jobs_removed_total', help: 'Media removed by background jobs, by reason', labelNames: ['reason'] as const, registers: [options.registry] });
  return options.leases.runExclusive(MEDIA_JOBS_LEASE, async ({ signal }) => {
    held.set(1);
    try {
      while (!signal.aborted) {
        const expired = await options.repository.expirePendingUploads();
        const retained = await options.repository.applyRetention();
        runs.inc();
        removed.inc({ reason: 'unused_expiration' }, expired);
        removed.inc({ reason: 'retention_local' }, retained.local);
        removed.inc({ reason: 'retention_remote' }, retained.remote);
        options.logger.info({ lease: MEDIA_JOBS_LEASE, expiredUploads: expired, retentionLocal: retained.local, retentionRemote: retained.remote }, 'media background jobs ran');
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, options.intervalMs);
          signal.addEventListener('abort', () => {
            clearTimeout(timer);
            resolve();
          }, { once: true });
        });
      }
    } finally {
      held.set(0);
    }
  });
}
