// Follows a stream from its own position per writer, fed by a StreamFeed: applies advances in
// order, fills every gap (advance.prev_position above our position, rows not inline) through
// the stream's one catch-up call, so its consumer sees each row exactly once, in order per
// writer. Several cursors may share a feed (the shards a sharded consumer holds), each with its
// own positions, checkpoint and delivery queue, so one slow or catching-up shard holds no other.
//
// Start, and every transport reconnect, run the worker-restart path of ARCHITECTURE.md §4: the
// feed is subscribed (advances queue up meanwhile), ask each writer for its position (falling
// back to stream_positions when it does not answer), catch up from the last known position,
// then mark ready. Durable consumers pass `checkpoint`: their progress is stored in
// stream_consumer_positions in the SAME transaction their `deliver` runs in, so a consumer
// that writes its effects through that transaction gets exactly-once across crashes.
import type { Queryable } from '@homeserver/storage';
import type { StreamRecord } from './stream-definition.ts';
import type { FeedAdvance, StreamFeed } from './stream-feed.ts';
import { silentStreamLogger, type StreamLogger } from './stream-logger.ts';
import { VectorPosition } from './vector-position.ts';

export interface DeliveryContext {
  /** 'bus' for rows that came inline with an advance, 'catch-up' for rows read from PostgreSQL. */
  readonly source: 'bus' | 'catch-up';
  /** With `checkpoint`: the transaction that also stores the new position. Otherwise undefined. */
  readonly tx: Queryable | undefined;
  /** Runs `callback` once the delivery is done (with `checkpoint`: after its transaction committed). */
  onCommit(callback: () => void): void;
}

export interface StreamCursorOptions<Row> {
  /** The stream's configured writers. Writers seen on the bus later are followed too. Required. */
  readonly writers: readonly string[];
  /** Receives rows of one writer, ascending. A throw leaves the position unchanged (retried on the next advance). Required. */
  readonly deliver: (records: StreamRecord<Row>[], context: DeliveryContext) => void | Promise<void>;
  /** Durable consumer name: progress is stored per writer and resumed on start. Default: none (in memory). */
  readonly checkpoint?: string;
  /**
   * With `checkpoint`: true when delivering `records` would change nothing (none concerns this
   * consumer). The cursor then moves past them without a transaction and stores its position
   * with its next delivery or saveCheckpoint(): after a crash such rows are read again, which
   * at-least-once allows. Default: every batch is delivered.
   */
  readonly skip?: (records: StreamRecord<Row>[]) => boolean | Promise<boolean>;
  /**
   * With `checkpoint`: runs first in every transaction that stores the position (a delivery or
   * saveCheckpoint); a throw rolls it back (the sharded consumer's lease check). Default: none.
   */
  readonly guard?: (tx: Queryable) => Promise<void>;
  /** Where a writer without a checkpoint starts: its current position, or position 0. Default: 'current'. */
  readonly startAt?: 'current' | 'beginning';
  /** Rows per catch-up query. Default: 500. */
  readonly fetchLimit?: number;
  /**
   * An advance from the bus waits this long for more before the cursor delivers: under a steady
   * stream a batch then carries several advances (one skip check, one transaction) at the cost
   * of that much latency. For consumers nobody waits on (pushes, federation). Default: 0.
   */
  readonly lingerMs?: number;
  /** Default: silent. */
  readonly logger?: StreamLogger;
}

export interface StreamReaderStats {
  /** Rows delivered from advances' inline rows. */
  readonly viaBus: number;
  /** Rows delivered from fetchSince. */
  readonly viaCatchUp: number;
  /** How many ranges were fetched because of a gap, missing inline rows or a (re)start. */
  readonly catchUps: number;
}

export class StreamWaitTimeoutError extends Error {
  override name = 'StreamWaitTimeoutError';
}

/** Inline rows delivered in one batch at most (more chained advances wait for the next batch). */
const MAX_BATCH_ROWS = 1000;

/** Runs async tasks one at a time, in call order. */
class SerialQueue {
  #tail: Promise<unknown> = Promise.resolve();
  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(task);
    this.#tail = result.catch(() => {});
    return result;
  }
}

export class StreamCursor<Row> {
  readonly stream: string;
  #feed: StreamFeed<Row>;
  #options: StreamCursorOptions<Row>;
  #logger: StreamLogger;
  #positions = new Map<string, number>();
  /** With `checkpoint`: the position stored per writer (behind #positions after skipped rows). */
  #saved = new Map<string, number>();
  #queue = new SerialQueue();
  #waiters = new Set<{ target: VectorPosition; resolve: () => void }>();
  #stats = { viaBus: 0, viaCatchUp: 0, catchUps: 0 };
  #inbox: FeedAdvance<Row>[] = [];
  #draining = false;
  #ready = false;
  #closed = false;
  #detach: () => void = () => {};

  private constructor(feed: StreamFeed<Row>, options: StreamCursorOptions<Row>) {
    this.stream = feed.stream;
    this.#feed = feed;
    this.#options = options;
    this.#logger = options.logger ?? silentStreamLogger;
  }

  /** Attaches to `feed`, catches up with every writer, and resolves once ready. */
  static async start<Row>(feed: StreamFeed<Row>, options: StreamCursorOptions<Row>): Promise<StreamCursor<Row>> {
    const cursor = new StreamCursor(feed, options);
    cursor.#detach = feed.attach({
      advance: (advance) => cursor.#receive(advance),
      disconnected: () => (cursor.#ready = false),
      reconnected: () => void cursor.#queue.run(() => cursor.#resync('reconnected')),
    });
    try {
      await cursor.#queue.run(async () => {
        await cursor.#loadCheckpoints();
        await cursor.#resync('start');
      });
    } catch (error) {
      cursor.#detach();
      throw error;
    }
    return cursor;
  }

  /** False while starting or catching up after a transport outage (the readiness check). */
  get ready(): boolean {
    return this.#ready;
  }

  get stats(): StreamReaderStats {
    return { ...this.#stats };
  }

  /** How far this cursor has delivered, as a vector over the writers it follows. */
  get position(): VectorPosition {
    return VectorPosition.fromWriters(this.#positions);
  }

  positionOf(writer: string): number {
    return this.#positions.get(writer) ?? 0;
  }

  /** Per writer followed: the delivered position and the newest the writer is known to have reached. */
  writers(): Array<{ writer: string; position: number; latest: number }> {
    return [...this.#positions].map(([writer, position]) => ({ writer, position, latest: Math.max(position, this.#feed.latestOf(writer)) }));
  }

  /**
   * Resolves once this cursor has delivered up to `target` (read-your-writes). Rejects with
   * StreamWaitTimeoutError after `timeoutMs`.
   */
  waitFor(target: VectorPosition | { readonly writer: string; readonly position: number }, timeoutMs: number): Promise<void> {
    const wanted = target instanceof VectorPosition ? target : VectorPosition.of(0, [[target.writer, target.position]]);
    if (this.#reached(wanted)) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter = {
        target: wanted,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(new StreamWaitTimeoutError(`waited ${timeoutMs} ms for stream ${this.stream} to reach ${JSON.stringify(wanted)}; it is at ${JSON.stringify(this.position)}`));
      }, timeoutMs);
      this.#waiters.add(waiter);
    });
  }

  /** What every writer this cursor follows announces now; a silent one counts as where the cursor is. */
  writersPosition(timeoutMs: number): Promise<VectorPosition> {
    return this.#feed.writersPosition([...this.#positions.keys()], timeoutMs, (writer) => this.positionOf(writer));
  }

  /**
   * The worker-restart path on demand (after the feed was resumed): asks every writer where it
   * is and reaches that, after whatever delivery is in progress. With `skipRows` the cursor moves
   * to the writers' positions without reading the rows in between: for a consumer that keeps
   * nothing derived from them (it reads what it serves from PostgreSQL) and dropped whatever
   * it remembered of them. Not with `checkpoint`: a durable consumer never skips a row.
   * Resolves with the position reached, before advances that arrived meanwhile are applied.
   */
  resync(why: string, options: { readonly skipRows?: boolean } = {}): Promise<VectorPosition> {
    if (options.skipRows && this.#options.checkpoint !== undefined) {
      return Promise.reject(new Error(`stream ${this.stream}: durable consumer ${this.#options.checkpoint} cannot skip rows`));
    }
    // The position the resync reached, before any advance queued meanwhile is applied.
    return this.#queue.run(async () => {
      await this.#resync(why, options.skipRows === true);
      return this.position;
    });
  }

  /** Stops taking advances and waits for the delivery in progress (the feed stays open). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#ready = false;
    this.#detach();
    // Let an in-progress delivery finish before the caller closes the database.
    await this.#queue.run(async () => {});
  }

  /**
   * With `checkpoint`: stores the positions reached past skipped rows (one transaction, after
   * the delivery in progress; nothing when every position is stored). Works after close().
   */
  saveCheckpoint(): Promise<void> {
    const consumer = this.#options.checkpoint;
    if (consumer === undefined) return Promise.resolve();
    return this.#queue.run(async () => {
      const behind = [...this.#positions].filter(([writer, position]) => position > (this.#saved.get(writer) ?? -1));
      if (behind.length === 0) return;
      await this.#feed.db.transaction(async (tx) => {
        await this.#options.guard?.(tx);
        for (const [writer, position] of behind) await this.#storePosition(tx, consumer, writer, position);
      });
      for (const [writer, position] of behind) this.#saved.set(writer, position);
    });
  }

  #reached(target: VectorPosition): boolean {
    for (const [writer, position] of target.writers) if (this.positionOf(writer) < position) return false;
    if (target.min > 0) for (const position of this.#positions.values()) if (position < target.min) return false;
    return true;
  }

  async #loadCheckpoints(): Promise<void> {
    const consumer = this.#options.checkpoint;
    if (consumer === undefined) return;
    const { rows } = await this.#feed.db.query<{ writer: string; position: number }>(
      'SELECT writer, position FROM stream_consumer_positions WHERE consumer = $1 AND stream = $2',
      [consumer, this.stream],
    );
    for (const row of rows) {
      this.#positions.set(row.writer, row.position);
      this.#saved.set(row.writer, row.position);
    }
  }

  async #storePosition(tx: Queryable, consumer: string, writer: string, position: number): Promise<void> {
    await tx.query(
      `INSERT INTO stream_consumer_positions (consumer, stream, writer, position) VALUES ($1, $2, $3, $4)
       ON CONFLICT (consumer, stream, writer) DO UPDATE SET position = EXCLUDED.position`,
      [consumer, this.stream, writer, position],
    );
  }

  /** The worker-restart path: learn each writer's position, fetch up to it, mark ready. */
  async #resync(why: string, skipRows = false): Promise<void> {
    if (this.#closed) return;
    this.#ready = false;
    const writers = new Set([...this.#options.writers, ...this.#positions.keys()]);
    for (const writer of writers) {
      const answered = await this.#feed.writerPosition(writer);
      const current = answered === undefined ? undefined : await this.#feed.verified(writer, answered);
      if (current !== undefined) this.#feed.noteLatest(writer, current);
      if (!this.#positions.has(writer)) {
        this.#positions.set(writer, this.#options.startAt === 'beginning' ? 0 : current ?? 0);
      }
      if (current === undefined || current <= this.positionOf(writer)) continue;
      if (skipRows) this.#positions.set(writer, current);
      else await this.#catchUp(writer, current);
    }
    this.#ready = true;
    this.#logger.info({ stream: this.stream, why, position: this.position.toJSON() }, 'stream reader caught up');
    this.#wake();
  }

  /** Queues an advance; one drain task at a time works through everything that arrived. */
  #receive(advance: FeedAdvance<Row>): void {
    if (this.#closed) return;
    this.#inbox.push(advance);
    if (this.#draining) return;
    this.#draining = true;
    const lingerMs = this.#options.lingerMs ?? 0;
    if (lingerMs > 0) setTimeout(() => void this.#queue.run(() => this.#drain()), lingerMs);
    else void this.#queue.run(() => this.#drain());
  }

  /**
   * Applies queued advances, in arrival order per writer. Inline advances of one writer that
   * chain are delivered as one batch: a durable consumer then commits once per burst, not once
   * per advance.
   */
  async #drain(): Promise<void> {
    try {
      while (this.#inbox.length > 0 && !this.#closed) {
        // Grouped by writer, arrival order kept within each: only the order per writer matters,
        // and a writer's chained advances then make one batch though another's arrived between.
        const arrived = this.#inbox.splice(0);
        const advances = [...new Set(arrived.map((a) => a.writer))].flatMap((writer) => arrived.filter((a) => a.writer === writer));
        let i = 0;
        while (i < advances.length && !this.#closed) {
          const advance = advances[i]!;
          const { writer, prevPosition: prev, position } = advance;
          i++;
          if (!this.#positions.has(writer)) {
            // A writer that joined after we started: from the beginning, or from this advance on.
            this.#positions.set(writer, this.#options.startAt === 'beginning' ? 0 : prev);
          }
          const mine = this.positionOf(writer);
          if (position <= mine) continue;
          try {
            if (advance.rowsInline && prev <= mine) {
              let reached = mine;
              const records: StreamRecord<Row>[] = [];
              const take = (next: FeedAdvance<Row>) => {
                for (const record of next.records()) if (record.position > reached) records.push(record);
                reached = Math.max(reached, next.position);
              };
              take(advance);
              for (let next = advances[i]; next && i < advances.length && records.length < MAX_BATCH_ROWS; next = advances[++i]) {
                if (next.writer !== writer || !next.rowsInline || next.prevPosition > reached) break;
                take(next);
              }
              await this.#deliver(writer, records, reached, 'bus');
            } else {
              await this.#catchUp(writer, position);
            }
          } catch (error) {
            // Position unchanged: the next advance or heartbeat shows the gap and we fetch again.
            this.#logger.warn({ err: error, stream: this.stream, writer, position }, 'stream rows not delivered; will retry');
          }
        }
      }
    } finally {
      this.#draining = false;
    }
  }

  /** Fetches and delivers the writer's rows in (our position, to], in pages; never beyond what PostgreSQL backs. */
  async #catchUp(writer: string, claimed: number): Promise<void> {
    const to = await this.#feed.verified(writer, claimed);
    this.#stats.catchUps++;
    const limit = this.#options.fetchLimit ?? 500;
    let from = this.positionOf(writer);
    while (from < to && !this.#closed) {
      const rows = await this.#feed.definition.fetchSince(this.#feed.db, { writer, from, to, limit });
      const reached = rows.length < limit ? to : rows[rows.length - 1]!.position;
      const records = rows.map((row) => ({ writer, position: row.position, data: row.data }));
      await this.#deliver(writer, records, reached, 'catch-up');
      from = reached;
    }
  }

  async #deliver(writer: string, records: StreamRecord<Row>[], reached: number, source: 'bus' | 'catch-up'): Promise<void> {
    const consumer = this.#options.checkpoint;
    const committed: Array<() => void> = [];
    const onCommit = (callback: () => void) => void committed.push(callback);
    if (consumer !== undefined && records.length > 0 && !(await this.#options.skip?.(records))) {
      await this.#feed.db.transaction(async (tx) => {
        await this.#options.guard?.(tx);
        await this.#options.deliver(records, { source, tx, onCommit });
        await this.#storePosition(tx, consumer, writer, reached);
      });
      this.#saved.set(writer, reached);
    } else if (records.length > 0 && consumer === undefined) {
      await this.#options.deliver(records, { source, tx: undefined, onCommit });
    }
    for (const callback of committed) {
      try {
        callback();
      } catch (error) {
        this.#logger.warn({ err: error, stream: this.stream }, "a delivery's onCommit callback threw");
      }
    }
    if (source === 'bus') this.#stats.viaBus += records.length;
    else this.#stats.viaCatchUp += records.length;
    this.#positions.set(writer, reached);
    this.#wake();
  }

  #wake(): void {
    for (const waiter of this.#waiters) {
      if (this.#reached(waiter.target)) {
        this.#waiters.delete(waiter);
        waiter.resolve();
      }
    }
  }
}
