// Delivers one subscription's messages to its handler one at a time, in arrival order, even
// when the handler is async. A throwing handler is reported and delivery goes on.
import type { MessageHandler, TransportMessage } from './transport.ts';

export interface SerialDispatcherOptions {
  /** Called when the handler throws or rejects; delivery continues with the next message. */
  readonly onError: (error: unknown, message: TransportMessage) => void;
  /**
   * Always hand messages over on a later microtask, never inside push(). The in-process
   * adapter needs this so publish() never runs subscriber code on the publisher's stack.
   * Default: false (deliver at once when idle: the message already came from I/O).
   */
  readonly defer?: boolean;
}

export class SerialDispatcher {
  #handler: MessageHandler;
  #options: SerialDispatcherOptions;
  #queue: TransportMessage[] = [];
  #head = 0;
  #running = false;
  #closed = false;

  constructor(handler: MessageHandler, options: SerialDispatcherOptions) {
    this.#handler = handler;
    this.#options = options;
  }

  push(message: TransportMessage): void {
    if (this.#closed) return;
    this.#queue.push(message);
    if (this.#running) return;
    this.#running = true;
    if (this.#options.defer) queueMicrotask(() => void this.#drain());
    else void this.#drain();
  }

  /** Drops queued messages; the handler is not called again. */
  close(): void {
    this.#closed = true;
    this.#queue = [];
    this.#head = 0;
  }

  async #drain(): Promise<void> {
    while (!this.#closed && this.#head < this.#queue.length) {
      const message = this.#queue[this.#head++]!;
      // A subscription that never goes idle must not keep every message it ever saw.
      if (this.#head >= 1024) {
        this.#queue = this.#queue.slice(this.#head);
        this.#head = 0;
      }
      try {
        const result = this.#handler(message);
        if (result !== undefined) await result;
      } catch (error) {
        this.#options.onError(error, message);
      }
    }
    this.#queue = [];
    this.#head = 0;
    this.#running = false;
  }
}
