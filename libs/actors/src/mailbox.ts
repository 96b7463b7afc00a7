// An actor's mailbox: runs posted work one item at a time in arrival order (FIFO), so the
// actor's state never sees interleaved handlers. Bounded: past `capacity` unfinished messages a
// post is refused with MailboxOverloadError instead of letting memory grow without limit.
import { MailboxOverloadError } from './errors.ts';

export interface MailboxOptions {
  /** Most unfinished messages (queued plus the one running). Default: 1000. */
  readonly capacity?: number;
  /** Names the mailbox in overload errors, e.g. `room/!abc:hs`. Default: 'mailbox'. */
  readonly name?: string;
}

interface Job {
  readonly work: () => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

export const DEFAULT_MAILBOX_CAPACITY = 1000;

export class Mailbox {
  readonly capacity: number;
  readonly name: string;
  #queue: (Job | undefined)[] = [];
  #head = 0;
  /** A drain loop is scheduled or running. */
  #running = false;
  /** A message is being handled right now (taken off the queue, not finished). */
  #handling = false;
  #idleWaiters: (() => void)[] = [];

  constructor(options: MailboxOptions = {}) {
    this.capacity = options.capacity ?? DEFAULT_MAILBOX_CAPACITY;
    this.name = options.name ?? 'mailbox';
  }

  /** Unfinished messages: queued plus the one being handled. Exposed for metrics. */
  get depth(): number {
    return this.#queue.length - this.#head + (this.#handling ? 1 : 0);
  }

  /**
   * Queues `work`; the promise settles with its result once it has run. Throws
   * MailboxOverloadError at once (synchronously) when the mailbox is full, so a sender learns of
   * the refusal before it moves on. Work runs on a later microtask, never on the poster's stack,
   * so a post never re-enters the caller.
   */
  post<T>(work: () => T | Promise<T>): Promise<T> {
    if (this.depth >= this.capacity) throw new MailboxOverloadError(this.name, this.capacity);
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!this.#running) {
        this.#running = true;
        queueMicrotask(() => void this.#drain());
      }
    });
  }

  /** Resolves once every posted message has finished (used by shutdown and passivation). */
  idle(): Promise<void> {
    if (this.depth === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  async #drain(): Promise<void> {
    while (this.#head < this.#queue.length) {
      const job = this.#queue[this.#head]!;
      this.#queue[this.#head] = undefined;
      this.#head++;
      this.#handling = true;
      try {
        job.resolve(await job.work());
      } catch (error) {
        job.reject(error);
      }
      this.#handling = false;
      // Drop consumed slots now and then so a long-lived busy mailbox does not grow.
      if (this.#head >= 1024 && this.#head * 2 >= this.#queue.length) {
        this.#queue = this.#queue.slice(this.#head);
        this.#head = 0;
      }
    }
    this.#queue = [];
    this.#head = 0;
    this.#running = false;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const wake of waiters) wake();
  }
}
