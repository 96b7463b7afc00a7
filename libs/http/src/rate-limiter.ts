// Token-bucket rate limiting keyed by a string (user, IP, ...), with Synapse's `rc_*` semantics:
// a key may perform `burst_count` actions at once, and regains `per_second` actions per second.

export interface RateLimitSettings {
  /** Actions regained per second. */
  readonly per_second: number;
  /** Actions that may be performed back to back. */
  readonly burst_count: number;
}

export interface RateLimiterOptions {
  /** Milliseconds since the epoch. Default: Date.now. */
  readonly now?: () => number;
  /** Keys kept before idle ones are pruned. Default: 10 000. */
  readonly maxKeys?: number;
}

export interface RateLimitCheckOptions {
  /** Count this action against the bucket when allowed. Default: true. */
  readonly update?: boolean;
  /** How many actions this counts as. Default: 1. */
  readonly cost?: number;
}

interface Bucket {
  /** Actions still "in" the bucket at `at`; drains at per_second. */
  count: number;
  at: number;
}

export class RateLimiter {
  readonly #settings: RateLimitSettings;
  readonly #now: () => number;
  readonly #maxKeys: number;
  readonly #buckets = new Map<string, Bucket>();

  constructor(settings: RateLimitSettings, options: RateLimiterOptions = {}) {
    if (!(settings.per_second >= 0) || !(settings.burst_count >= 0)) {
      throw new RangeError(
        `creating a rate limiter with per_second=${settings.per_second} burst_count=${settings.burst_count}: both must be >= 0`,
      );
    }
    this.#settings = settings;
    this.#now = options.now ?? Date.now;
    this.#maxKeys = options.maxKeys ?? 10_000;
  }

  /**
   * Checks (and by default records) an action for `key`. Returns 0 when allowed, otherwise the
   * milliseconds until it would be allowed.
   */
  check(key: string, options: RateLimitCheckOptions = {}): number {
    const { per_second: rate, burst_count: burst } = this.#settings;
    const cost = options.cost ?? 1;
    const now = this.#now();
    const bucket = this.#drained(key, now);
    if (bucket.count + cost > burst) {
      if (rate <= 0) return Number.POSITIVE_INFINITY;
      return Math.max(1, Math.ceil(((bucket.count + cost - burst) / rate) * 1000));
    }
    if (options.update ?? true) {
      bucket.count += cost;
      this.#buckets.set(key, bucket);
      this.#prune(now);
    }
    return 0;
  }

  /** Records an action without checking (e.g. a failed login after the check passed). */
  record(key: string, cost = 1): void {
    const now = this.#now();
    const bucket = this.#drained(key, now);
    bucket.count += cost;
    this.#buckets.set(key, bucket);
    this.#prune(now);
  }

  /** Forgets a key (e.g. failed-attempt counters after a successful login). */
  reset(key: string): void {
    this.#buckets.delete(key);
  }

  #drained(key: string, now: number): Bucket {
    const bucket = this.#buckets.get(key) ?? { count: 0, at: now };
    const elapsed = Math.max(0, now - bucket.at) / 1000;
    bucket.count = Math.max(0, bucket.count - elapsed * this.#settings.per_second);
    bucket.at = now;
    return bucket;
  }

  #prune(now: number): void {
    if (this.#buckets.size <= this.#maxKeys) return;
    for (const [key, bucket] of this.#buckets) {
      const left = bucket.count - ((now - bucket.at) / 1000) * this.#settings.per_second;
      if (left <= 0) this.#buckets.delete(key);
    }
  }
}
