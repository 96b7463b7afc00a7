// Test support: wraps a Transport so a test can lose published messages (as an outage would)
// and fire connection events, without a real server, and count the subscriptions it holds.
import type { MessageHandler, RequestHandler, RequestOptions, SubscribeOptions, Subscription, Transport, TransportEvent } from '@homeserver/transport';

export class FlakyTransport implements Transport {
  readonly kind: string;
  readonly maxPayloadBytes: number;
  /** While true, publish() succeeds but the message is lost. */
  dropPublishes = false;
  /** How many publishes were lost. */
  dropped = 0;
  #inner: Transport;
  #listeners = new Map<TransportEvent, Set<() => void>>();

  constructor(inner: Transport) {
    this.#inner = inner;
    this.kind = `flaky-${inner.kind}`;
    this.maxPayloadBytes = inner.maxPayloadBytes;
  }

  async publish(subject: string, payload: Uint8Array): Promise<void> {
    if (this.dropPublishes) {
      this.dropped++;
      return;
    }
    await this.#inner.publish(subject, payload);
  }

  #live = new Map<string, number>();

  /** Subscriptions on `subject` open now (subscribed and not yet unsubscribed). */
  liveSubscriptions(subject: string): number {
    return this.#live.get(subject) ?? 0;
  }

  async subscribe(subject: string, handler: MessageHandler, options?: SubscribeOptions): Promise<Subscription> {
    const inner = await this.#inner.subscribe(subject, handler, options);
    this.#live.set(subject, this.liveSubscriptions(subject) + 1);
    let open = true;
    return {
      unsubscribe: async () => {
        if (open) this.#live.set(subject, this.liveSubscriptions(subject) - 1);
        open = false;
        await inner.unsubscribe();
      },
    };
  }

  serve(subject: string, handler: RequestHandler): Promise<Subscription> {
    return this.#inner.serve(subject, handler);
  }

  request(subject: string, payload: Uint8Array, options?: RequestOptions): Promise<Uint8Array> {
    return this.#inner.request(subject, payload, options);
  }

  on(event: TransportEvent, listener: () => void): () => void {
    const set = this.#listeners.get(event) ?? new Set();
    set.add(listener);
    this.#listeners.set(event, set);
    return () => set.delete(listener);
  }

  /** Fires a connection event as the real adapters do after an outage. */
  emit(event: TransportEvent): void {
    for (const listener of this.#listeners.get(event) ?? []) listener();
  }

  close(): Promise<void> {
    return this.#inner.close();
  }
}
