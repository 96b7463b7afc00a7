// rc_message with Synapse's per-user overrides (/_synapse/admin/v1/users/{userId}/override_ratelimit):
// a user with an override gets a bucket of their own settings; 0/0 means never limited. Main is
// the one process serving both the sends and the admin API, so the overrides live in memory
// here, loaded once at start and changed through set/remove as the admin API writes them.
import { RateLimiter, type RateLimitSettings } from '@homeserver/http';
import { listRatelimitOverrides, type Queryable, type RatelimitOverride } from '@homeserver/storage';

export class MessageRateLimits {
  readonly #default: RateLimiter;
  readonly #now: () => number;
  readonly #overrides = new Map<string, { override: RatelimitOverride; limiter: RateLimiter | undefined }>();

  constructor(settings: RateLimitSettings, options: { now: () => number }) {
    this.#now = options.now;
    this.#default = new RateLimiter(settings, { now: options.now });
  }

  /** Loads every stored override (the table holds only users an admin exempted). */
  async load(db: Queryable): Promise<void> {
    for (const [userId, override] of await listRatelimitOverrides(db)) this.set(userId, override);
  }

  /** 0 when `userId` may send now, else the milliseconds to wait (RateLimiter.check). */
  check(userId: string): number {
    const entry = this.#overrides.get(userId);
    if (entry === undefined) return this.#default.check(userId);
    return entry.limiter === undefined ? 0 : entry.limiter.check(userId);
  }

  set(userId: string, override: RatelimitOverride): void {
    const unlimited = override.messagesPerSecond === 0 && override.burstCount === 0;
    const limiter = unlimited ? undefined : new RateLimiter({ per_second: override.messagesPerSecond, burst_count: override.burstCount }, { now: this.#now, maxKeys: 1 });
    this.#overrides.set(userId, { override, limiter });
  }

  remove(userId: string): void {
    this.#overrides.delete(userId);
  }
}
