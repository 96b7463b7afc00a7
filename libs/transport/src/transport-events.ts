// Listener bookkeeping for the connection events of the network adapters.
import type { TransportLogger } from './transport-logger.ts';
import type { TransportEvent } from './transport.ts';

export class TransportEvents {
  #listeners = new Map<TransportEvent, Set<() => void>>();
  #logger: TransportLogger;

  constructor(logger: TransportLogger) {
    this.#logger = logger;
  }

  on(event: TransportEvent, listener: () => void): () => void {
    const listeners = this.#listeners.get(event) ?? new Set();
    this.#listeners.set(event, listeners);
    listeners.add(listener);
    return () => void listeners.delete(listener);
  }

  /** Calls every listener; one that throws is logged and does not stop the others. */
  emit(event: TransportEvent): void {
    for (const listener of this.#listeners.get(event) ?? []) {
      try {
        listener();
      } catch (error) {
        this.#logger.warn({ err: error, event }, 'transport event listener threw');
      }
    }
  }
}
