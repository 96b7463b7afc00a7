// When a sync process may stop following the streams: once no request has been in progress for
// a while. A sync worker no client reaches (a spare, one the proxy's hash sends nobody to, a
// monolith at night) otherwise receives, decodes and delivers every row of every stream /sync
// serves, to wake long-polls nobody makes. Requests hold the process awake; the first one after
// a quiet spell waits for it to wake (follow the streams again, up to where their writers are)
// before it reads anything, so it answers exactly what a process that never slept would.
import type { StreamLogger } from '@homeserver/streams';

export interface DormancyOptions {
  /** Quiet time, after the last request ended, before going dormant. Required. */
  readonly afterMs: number;
  /** Stops following (called with no request in progress). Required. */
  readonly sleep: () => Promise<void>;
  /** Follows again, caught up; a throw leaves the process dormant and fails the request waiting. Required. */
  readonly wake: () => Promise<void>;
  /** Default: silent. */
  readonly logger?: StreamLogger;
}

export class Dormancy {
  #options: DormancyOptions;
  #holds = 0;
  /** True from the moment a sleep starts until a wake has finished. */
  #dormant = false;
  /** Sleeps and wakes run one after the other, in the order asked. */
  #switching: Promise<void> = Promise.resolve();
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(options: DormancyOptions) {
    this.#options = options;
    this.#arm();
  }

  /** Whether the process is dormant or on its way in or out of it. */
  get dormant(): boolean {
    return this.#dormant;
  }

  /**
   * Keeps the process awake until the returned function is called, waking it first if it is
   * dormant (a request arriving while it falls asleep or wakes waits for that to end).
   */
  async hold(): Promise<() => void> {
    this.#holds++;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#dormant) {
      try {
        await this.#switch(() => this.#wake());
      } catch (error) {
        this.#release();
        throw error;
      }
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#release();
    };
  }

  /** No more sleeps (the process is stopping); waits for a switch in progress. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#switching;
  }

  #release(): void {
    this.#holds--;
    if (this.#holds === 0) this.#arm();
  }

  #arm(): void {
    if (this.#stopped || this.#dormant) return;
    this.#timer = setTimeout(() => this.#fall(), this.#options.afterMs);
    // A quiet process must be free to exit.
    this.#timer.unref();
  }

  #fall(): void {
    this.#timer = undefined;
    if (this.#holds > 0 || this.#dormant || this.#stopped) return;
    this.#dormant = true;
    void this.#switch(async () => {
      // A request that arrived before the sleep started needs nothing undone.
      if (this.#holds > 0) {
        this.#dormant = false;
        return;
      }
      try {
        await this.#options.sleep();
        this.#options.logger?.info({ afterMs: this.#options.afterMs }, 'sync views dormant');
      } catch (error) {
        // Whatever part did sleep, the next wake resumes all of it.
        this.#options.logger?.warn({ err: error }, 'sync views did not fully go dormant');
      }
    });
  }

  async #wake(): Promise<void> {
    if (!this.#dormant) return;
    const started = Date.now();
    await this.#options.wake();
    this.#dormant = false;
    this.#options.logger?.info({ ms: Date.now() - started }, 'sync views awake');
  }

  #switch(step: () => Promise<void>): Promise<void> {
    const next = this.#switching.then(step);
    this.#switching = next.catch(() => {});
    return next;
  }
}
