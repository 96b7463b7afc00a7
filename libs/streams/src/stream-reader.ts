// Follows one stream for one consumer: a StreamFeed (the stream's transport subscription) with
// one StreamCursor (the consumer's position per writer, gap detection and catch-up from
// PostgreSQL, optional durable checkpoint). See stream-cursor.ts for the delivery guarantees.
import type { Database } from '@homeserver/storage';
import type { Transport } from '@homeserver/transport';
import type { StreamDefinition } from './stream-definition.ts';
import { StreamCursor, type StreamCursorOptions, type StreamReaderStats } from './stream-cursor.ts';
import { StreamFeed } from './stream-feed.ts';
import { trackOpenStream } from './open-streams.ts';
import type { VectorPosition } from './vector-position.ts';

export type { DeliveryContext, StreamReaderStats } from './stream-cursor.ts';
export { StreamWaitTimeoutError } from './stream-cursor.ts';

export interface StreamReaderOptions<Row> extends StreamCursorOptions<Row> {
  /** How long to wait for a writer's PositionReply. Default: 2000 ms. */
  readonly positionTimeoutMs?: number;
  /** Follow only this view of the stream (StreamDefinition.views). Default: the whole stream. */
  readonly view?: string;
}

/** What /metrics reports of one reader: where it is per writer, and how far behind. */
export interface StreamReaderSnapshot {
  readonly stream: string;
  readonly ready: boolean;
  /**
   * Per writer followed: the delivered position, and the newest position that writer is known
   * to have reached (its last advance received, or its answer to a position query). Their
   * difference is the reader's lag behind that writer.
   */
  readonly writers: readonly { readonly writer: string; readonly position: number; readonly latest: number }[];
  readonly stats: StreamReaderStats;
}

export class StreamReader<Row> {
  readonly stream: string;
  #feed: StreamFeed<Row>;
  #cursor: StreamCursor<Row>;
  #transport: Transport;
  #untrack: () => void;

  private constructor(feed: StreamFeed<Row>, cursor: StreamCursor<Row>, transport: Transport) {
    this.stream = feed.stream;
    this.#feed = feed;
    this.#cursor = cursor;
    this.#transport = transport;
    this.#untrack = this.#track();
  }

  #track(): () => void {
    return trackOpenStream(this.#transport, { kind: 'reader', snapshot: () => this.snapshot() });
  }

  /** Subscribes, catches up with every writer, and resolves once ready. */
  static async start<Row>(db: Database, transport: Transport, definition: StreamDefinition<Row>, options: StreamReaderOptions<Row>): Promise<StreamReader<Row>> {
    const feed = await StreamFeed.open(db, transport, definition, {
      ...(options.positionTimeoutMs === undefined ? {} : { positionTimeoutMs: options.positionTimeoutMs }),
      ...(options.logger === undefined ? {} : { logger: options.logger }),
      ...(options.view === undefined ? {} : { view: options.view }),
    });
    try {
      return new StreamReader(feed, await StreamCursor.start(feed, options), transport);
    } catch (error) {
      await feed.close();
      throw error;
    }
  }

  /** False while starting or catching up after a transport outage (the readiness check). */
  get ready(): boolean {
    return this.#cursor.ready;
  }

  get stats(): StreamReaderStats {
    return this.#cursor.stats;
  }

  /** How far this reader has delivered, as a vector over the writers it follows. */
  get position(): VectorPosition {
    return this.#cursor.position;
  }

  positionOf(writer: string): number {
    return this.#cursor.positionOf(writer);
  }

  snapshot(): StreamReaderSnapshot {
    return { stream: this.stream, ready: this.ready, writers: this.#cursor.writers(), stats: this.stats };
  }

  /**
   * Resolves once this reader has delivered up to `target` (read-your-writes). Rejects with
   * StreamWaitTimeoutError after `timeoutMs`.
   */
  waitFor(target: VectorPosition | { readonly writer: string; readonly position: number }, timeoutMs: number): Promise<void> {
    return this.#cursor.waitFor(target, timeoutMs);
  }

  /**
   * What every writer this reader follows has announced, as each answers a position query now
   * (one transport request per writer, no statement): a target for read-your-writes when the
   * write's own position is not at hand. A writer that does not answer within `timeoutMs`
   * counts as where this reader is.
   */
  writersPosition(timeoutMs: number): Promise<VectorPosition> {
    return this.#cursor.writersPosition(timeoutMs);
  }

  /**
   * With `checkpoint`: stores the positions reached past skipped rows (one transaction, after
   * the delivery in progress; nothing when every position is stored). Works after close().
   */
  saveCheckpoint(): Promise<void> {
    return this.#cursor.saveCheckpoint();
  }

  /** Whether suspend() stopped the subscription (until resume()). */
  get suspended(): boolean {
    return this.#feed.suspended;
  }

  /**
   * Unsubscribes from the stream, keeping the position: while suspended the reader receives,
   * decodes and delivers nothing (the bus no longer sends it advances or heartbeats) and its
   * position stays where it was, so no token built from it runs ahead of what was read.
   * Nor is it among the open readers (/metrics, heartbeats) until resumed: it follows nothing.
   */
  suspend(): Promise<void> {
    this.#untrack();
    this.#untrack = () => {};
    return this.#feed.suspend();
  }

  /**
   * Subscribes again, then asks every writer where it is and reaches that before resolving, as
   * a restart does: rows written meanwhile are caught up from PostgreSQL (each delivered once),
   * or with `skipRows` passed over (see StreamCursor.resync). Also resyncs a reader that was not
   * suspended, so a resume that failed halfway is completed by calling it again. Resolves with
   * the position the resync reached (advances received meanwhile are delivered after it).
   */
  async resume(options: { readonly skipRows?: boolean } = {}): Promise<VectorPosition> {
    if (this.#feed.suspended) {
      await this.#feed.resume();
      this.#untrack = this.#track();
    }
    return this.#cursor.resync('resumed', options);
  }

  async close(): Promise<void> {
    this.#untrack();
    await this.#feed.close();
    await this.#cursor.close();
  }
}
