// One transport subscription to a stream, shared by the cursors that follow it from their own
// positions: a plain StreamReader has one cursor; a sharded consumer has one per shard it holds,
// so a process holding four shards of a stream receives, decodes and parses each advance once,
// not four times. The feed also owns what every cursor asks the same way: a writer's position
// (its answer to a PositionQuery, else its persisted position), the cap of a claimed position at
// the stream sequence, and the newest position each writer is known to have reached.
import { PositionQuery, PositionReply, StreamAdvance } from '@homeserver/protocol';
import type { Database } from '@homeserver/storage';
import type { Subscription, Transport } from '@homeserver/transport';
import { assertStreamName, decodeRowWith, positionSubject, sequenceName, streamSubject, viewOf, viewSubject, type StreamDefinition, type StreamRecord } from './stream-definition.ts';
import { int64ToNumber, silentStreamLogger, type StreamLogger } from './stream-logger.ts';
import { VectorPosition } from './vector-position.ts';

/** An advance as cursors see it: decoded once, its inline rows parsed once on first use. */
export interface FeedAdvance<Row> {
  readonly writer: string;
  readonly prevPosition: number;
  readonly position: number;
  /** True when `records()` holds every row of the writer in (prevPosition, position]. */
  readonly rowsInline: boolean;
  /** The inline rows (shared by every cursor: treat them as read-only). */
  records(): readonly StreamRecord<Row>[];
}

/** What a feed calls on each attached cursor. */
export interface FeedListener<Row> {
  advance(advance: FeedAdvance<Row>): void;
  disconnected(): void;
  reconnected(): void;
}

export interface StreamFeedOptions {
  /**
   * Follow only this view of the stream (StreamDefinition.views): its subject and its catch-up
   * call. Positions stay the stream's. Default: the whole stream.
   */
  readonly view?: string;
  /** How long to wait for a writer's PositionReply. Default: 2000 ms. */
  readonly positionTimeoutMs?: number;
  /** Default: silent. */
  readonly logger?: StreamLogger;
}

export class StreamFeed<Row> {
  readonly stream: string;
  readonly definition: StreamDefinition<Row>;
  readonly db: Database;
  #transport: Transport;
  #options: StreamFeedOptions;
  #logger: StreamLogger;
  #listeners = new Set<FeedListener<Row>>();
  #latest = new Map<string, number>();
  #subscription: Subscription | undefined;
  #subject: string;
  #removeListeners: Array<() => void> = [];
  #closed = false;
  /** Unsubscribed on purpose (suspend): transport outages concern it no more until resume. */
  #suspended = false;
  /**
   * The stream sequence's last value as last read from PostgreSQL: no writer can have reached a
   * position above it, so a claim beyond it (a forged or corrupt advance) is never followed.
   */
  #sequenceHigh = 0;

  private constructor(db: Database, transport: Transport, definition: StreamDefinition<Row>, subject: string, options: StreamFeedOptions) {
    assertStreamName(definition.name);
    this.#subject = subject;
    this.stream = definition.name;
    this.definition = definition;
    this.db = db;
    this.#transport = transport;
    this.#options = options;
    this.#logger = options.logger ?? silentStreamLogger;
  }

  /**
   * Subscribes. Advances that arrive before a cursor attaches are not kept: a cursor attaches
   * before it asks the writers where they are, and their answers cover what it missed.
   */
  static async open<Row>(db: Database, transport: Transport, definition: StreamDefinition<Row>, options: StreamFeedOptions = {}): Promise<StreamFeed<Row>> {
    const view = options.view;
    const subject = view === undefined ? streamSubject(definition.name) : viewSubject(definition.name, view);
    const feed = new StreamFeed(db, transport, view === undefined ? definition : viewOf(definition, view), subject, options);
    await feed.#subscribe();
    feed.#removeListeners.push(
      transport.on('disconnected', () => {
        if (feed.#suspended) return;
        for (const listener of feed.#listeners) listener.disconnected();
      }),
      transport.on('reconnected', () => {
        if (feed.#suspended) return;
        for (const listener of feed.#listeners) listener.reconnected();
      }),
    );
    return feed;
  }

  async #subscribe(): Promise<void> {
    this.#subscription = await this.#transport.subscribe(this.#subject, (message) => this.#receive(message.payload));
  }

  /** Whether suspend() took the subscription away (and resume() has not brought it back). */
  get suspended(): boolean {
    return this.#suspended;
  }

  /**
   * Drops the subscription: no advance reaches this process (the bus stops sending them, so
   * they cost nothing) until resume(). Attached cursors keep their positions; they learn what
   * they missed the way a reconnect does, by asking the writers once resumed.
   */
  async suspend(): Promise<void> {
    if (this.#closed || this.#suspended) return;
    this.#suspended = true;
    const subscription = this.#subscription;
    this.#subscription = undefined;
    await subscription?.unsubscribe().catch(() => {});
  }

  /** Subscribes again. Advances from then on reach the cursors; what came before, they must ask for. */
  async resume(): Promise<void> {
    if (this.#closed || !this.#suspended) return;
    await this.#subscribe();
    this.#suspended = false;
  }

  /** Hands every advance from now on to `listener`, until the returned function is called. */
  attach(listener: FeedListener<Row>): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  /** The newest position `writer` is known to have reached (0 when unknown). */
  latestOf(writer: string): number {
    return this.#latest.get(writer) ?? 0;
  }

  noteLatest(writer: string, position: number): void {
    if (position > (this.#latest.get(writer) ?? 0)) this.#latest.set(writer, position);
  }

  /** Asks the writer; if it does not answer, takes its last persisted position. */
  async writerPosition(writer: string): Promise<number | undefined> {
    try {
      return await this.#ask(writer, this.#options.positionTimeoutMs ?? 2000);
    } catch (error) {
      this.#logger.warn({ err: error, stream: this.stream, writer }, 'writer did not answer a position query; using its persisted position');
      const { rows } = await this.db.query<{ position: number }>('SELECT position FROM stream_positions WHERE stream = $1 AND instance_name = $2', [this.stream, writer]);
      return rows[0]?.position;
    }
  }

  /**
   * What each of `writers` announces now (one transport request per writer, no statement); a
   * writer that does not answer within `timeoutMs` counts as `fallback(writer)`.
   */
  async writersPosition(writers: readonly string[], timeoutMs: number, fallback: (writer: string) => number): Promise<VectorPosition> {
    const answers = await Promise.all(
      writers.map(async (writer) => {
        try {
          return [writer, await this.#ask(writer, timeoutMs)] as const;
        } catch {
          return [writer, fallback(writer)] as const;
        }
      }),
    );
    return VectorPosition.of(0, answers);
  }

  /**
   * `claimed` capped at the stream sequence in PostgreSQL. A reader moved past the sequence would
   * skip every real advance below the claim and freeze (issue 8: one forged StreamAdvance at
   * 1e9 stalled /sync server-wide), so it only moves as far as the database can back.
   */
  async verified(writer: string, claimed: number): Promise<number> {
    if (claimed <= this.#sequenceHigh) return claimed;
    const { rows } = await this.db.query<{ last_value: number; is_called: boolean }>(`SELECT last_value, is_called FROM ${sequenceName(this.stream)}`);
    const row = rows[0];
    if (row) this.#sequenceHigh = Math.max(this.#sequenceHigh, row.is_called ? Number(row.last_value) : Number(row.last_value) - 1);
    if (claimed <= this.#sequenceHigh) return claimed;
    this.#logger.warn({ stream: this.stream, writer, claimed, sequence: this.#sequenceHigh }, 'a position beyond the stream sequence in PostgreSQL was announced; catching up only to the sequence');
    return this.#sequenceHigh;
  }

  /** Unsubscribes; attached cursors receive nothing more. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#listeners.clear();
    for (const remove of this.#removeListeners) remove();
    await this.#subscription?.unsubscribe().catch(() => {});
  }

  async #ask(writer: string, timeoutMs: number): Promise<number> {
    const query = PositionQuery.encode({ stream: this.stream }).finish();
    const reply = await this.#transport.request(positionSubject(this.stream, writer), query, { timeoutMs });
    const position = int64ToNumber(PositionReply.decode(reply).position);
    this.noteLatest(writer, position);
    return position;
  }

  /** Decoded on arrival so that the lag on /metrics counts advances waiting behind a slow delivery. */
  #receive(payload: Uint8Array): void {
    if (this.#closed) return;
    let decoded: ReturnType<typeof StreamAdvance.decode>;
    try {
      decoded = StreamAdvance.decode(payload);
    } catch (error) {
      this.#logger.warn({ err: error, stream: this.stream }, 'undecodable stream advance ignored');
      return;
    }
    if (decoded.stream !== this.stream) return;
    const writer = decoded.writer;
    const position = int64ToNumber(decoded.position);
    this.noteLatest(writer, position);
    if (this.#listeners.size === 0) return;
    const definition = this.definition;
    let records: StreamRecord<Row>[] | undefined;
    const advance: FeedAdvance<Row> = {
      writer,
      prevPosition: int64ToNumber(decoded.prevPosition),
      position,
      rowsInline: decoded.rowsInline,
      records: () =>
        (records ??= decoded.rows.map((row) => ({ writer, position: int64ToNumber(row.position), data: decodeRowWith(definition, row.data ?? new Uint8Array()) }))),
    };
    for (const listener of this.#listeners) listener.advance(advance);
  }
}
