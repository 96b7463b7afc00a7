// How long a destination is left alone after a failed transaction, as Synapse schedules it:
// the first failure waits `destination_min_retry_interval`; each further failure multiplies the
// wait by `destination_retry_multiplier` with a random factor (so many servers that failed
// together do not all come back at once), capped at `destination_max_retry_interval`.

export interface RetrySchedule {
  /** Synapse's federation.destination_min_retry_interval. Default: 10 minutes. */
  readonly minMs: number;
  /** Synapse's federation.destination_retry_multiplier. Default: 2. */
  readonly multiplier: number;
  /** Synapse's federation.destination_max_retry_interval. Default: 1 week. */
  readonly maxMs: number;
}

export const DEFAULT_RETRY_SCHEDULE: RetrySchedule = { minMs: 10 * 60_000, multiplier: 2, maxMs: 7 * 86_400_000 };

/** The next wait after a failure, given the wait that preceded it (0 when the destination was healthy). */
export function nextRetryInterval(previousMs: number, schedule: RetrySchedule, random: () => number = Math.random): number {
  if (previousMs <= 0) return Math.min(schedule.minMs, schedule.maxMs);
  const jitter = 0.8 + random() * 0.6;
  return Math.min(Math.max(schedule.minMs, Math.floor(previousMs * schedule.multiplier * jitter)), schedule.maxMs);
}
