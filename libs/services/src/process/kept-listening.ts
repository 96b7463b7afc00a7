// A LISTEN (Database.listen) kept open for as long as a cache relies on it: when its connection
// dies, the owner is told at once (it must drop what the lost notifications would have
// invalidated) and it listens again after a pause, until it succeeds or is stopped.
import type { Listening } from '@homeserver/storage';

export interface KeptListeningOptions {
  /** Called when the connection died: notifications are lost until `listening` is true again. Required. */
  readonly onLost: () => void;
  /** What the log lines name. Required. */
  readonly what: string;
  /** Wait before listening again. Default: 1000 ms. */
  readonly relistenMs?: number;
  /** Default: silent. */
  readonly logger?: { warn(details: object, message: string): void };
}

export class KeptListening {
  readonly #open: () => Promise<Listening>;
  readonly #options: KeptListeningOptions;
  #current: Listening | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;

  private constructor(open: () => Promise<Listening>, options: KeptListeningOptions) {
    this.#open = open;
    this.#options = options;
  }

  /** Listens now (throws when it cannot), and again whenever the connection dies. */
  static async start(open: () => Promise<Listening>, options: KeptListeningOptions): Promise<KeptListening> {
    const kept = new KeptListening(open, options);
    await kept.#listen();
    return kept;
  }

  /** True while notifications are heard. */
  get listening(): boolean {
    return this.#current !== undefined;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    const current = this.#current;
    this.#current = undefined;
    await current?.close();
  }

  async #listen(): Promise<void> {
    const listening = await this.#open();
    if (this.#stopped) return listening.close();
    listening.onLost((error) => {
      this.#current = undefined;
      this.#options.onLost();
      this.#options.logger?.warn({ err: error }, `${this.#options.what}: the LISTEN connection died; listening again`);
      this.#again();
    });
    this.#current = listening;
  }

  #again(): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#listen().catch((error: unknown) => {
        this.#options.logger?.warn({ err: error }, `${this.#options.what}: cannot LISTEN yet; retrying`);
        this.#again();
      });
    }, this.#options.relistenMs ?? 1000);
  }
}
