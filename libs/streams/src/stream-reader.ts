// Follows one stream: keeps a position per writer, applies `StreamAdvance`s from the bus, and
// fills every gap (advance.prev_position above our position, rows not inline) through the
// stream's one catch-up call, so the consumer sees each row exactly once, in order per writer.
//
// Start, and every transport reconnect, run the worker-restart path of ARCHITECTURE.md §4:
// subscribe first (advances queue up meanwhile), ask each writer for its position (falling
// back to stream_positions when it does not answer), catch up from the last known position,
// then mark ready. Durable consumers pass `checkpoint`: their progress is stored in
// stream_consumer_positions in the SAME transaction their `deliver` runs in, so a consumer
// that writes its effects through that transaction gets exactly-once across crashes.
import { PositionQuery, PositionReply, StreamAdvance } from '@homeserver/protocol';
import type { Database, Queryable } from '@homeserver/storage';
import type { Subscription, Transport } from '@homeserver/transport';
import {
  assertStreamName,
  decodeRowWith,
  positionSubject,
  sequenceName,
  streamSubject,
  type StreamDefinition,
  type StreamRecord,
} from './stream-definition.ts';
import { int64ToNumber, silentStreamLogger, type StreamLogger } from './stream-logger.ts';
import { trackOpenStream } from './open-streams.ts';
import { VectorPosition } from './vector-position.ts';

export interface DeliveryContext {
  /** 'bus' for rows that came inline with an advance, 'catch-up' for rows read from PostgreSQL. */
  readonly source: 'bus' | 'catch-up';
  /** With `checkpoint`: the transaction that also stores the new position. Otherwise undefined. */
  readonly tx: Queryable | undefined;
  /** Runs `callback` once the delivery is done (with `checkpoint`: after its transaction committed). */
  onCommit(callback: () => void): void;
}

export interface StreamReaderOptions<Row> {
  /** The stream's configured writers. Writers seen on the bus later are followed too. Required. */
  readonly writers: readonly string[];
  /** Receives rows of one writer, ascending. A throw leaves the position unchanged (retried on the next advance). Required. */
  readonly deliver: (records: StreamRecord<Row>[], context: DeliveryContext) => void | Promise<void>;
  /** Durable consumer name: progress is stored per writer and resumed on start. Default: none (in memory). */
  readonly checkpoint?: string;
  /**
   * With `checkpoint`: true when delivering `records` would change nothing (none concerns this
   * consumer). The reader then moves past them without a transaction and stores its position
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
  /** How long to wait for a writer's PositionReply. Default: 2000 ms. */
  readonly positionTimeoutMs?: number;
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

export class StreamWaitTimeoutError extends Error {
  override name = 'StreamWaitTimeoutError';
}

/** Inline rows delivered in one batch at most (more chained advances wait for the next batch). */
const MAX_BATCH_ROWS = 1000;

type Advance = ReturnType<typeof StreamAdvance.decode>;

/** Runs async tasks one at a time, in call order. */
class SerialQueue {
  #tail: Promise<unknown> = Promise.resolve();
  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(task);
    this.#tail = result.catch(() => {});
    return result;
  }
}

export class StreamReader<Row> {
  readonly stream: string;
  #db: Database;
  #transport: Transport;
  #definition: StreamDefinition<Row>;
  #options: StreamReaderOptions<Row>;
  #logger: StreamLogger;
  #positions = new Map<string, number>();
  /** With `checkpoint`: the position stored per writer (behind #positions after skipped rows). */
  #saved = new Map<string, number>();
  /** The newest position each writer is known to have reached (for the lag on /metrics). */
  #latest = new Map<string, number>();
  #queue = new SerialQueue();
  #waiters = new Set<{ target: VectorPosition; resolve: () => void }>();
  #subscription: Subscription | undefined;
  #removeListeners: Array<() => void> = [];
  #stats = { viaBus: 0, viaCatchUp: 0, catchUps: 0 };
  #inbox: Advance[] = [];
  #draining = false;
  #ready = false;
  #closed = false;
  #untrack: () => void = () => {};
  /**
   * The stream sequence's last value as last read from PostgreSQL: no writer can have reached a
   * position above it, so a claim beyond it (a forged or corrupt advance) is never followed.
   */
  #sequenceHigh = 0;

  private constructor(db: Database, transport: Transport, definition: StreamDefinition<Row>, options: StreamReaderOptions<Row>) {
    assertStreamName(definition.name);
    this.stream = definition.name;
    this.#db = db;
    this.#transport = transport;
    this.#definition = definition;
    this.#options = options;
    this.#logger = options.logger ?? silentStreamLogger;
  }

  /** Subscribes, catches up with every writer, and resolves once ready. */
  static async start<Row>(db: Database, transport: Transport, definition: StreamDefinition<Row>, options: StreamReaderOptions<Row>): Promise<StreamReader<Row>> {
    const reader = new StreamReader(db, transport, definition, options);
    await reader.#queue.run(async () => {
      reader.#subscription = await transport.subscribe(streamSubject(definition.name), (message) => reader.#receive(message.payload));
      reader.#removeListeners.push(
        transport.on('disconnected', () => (reader.#ready = false)),
        transport.on('reconnected', () => void reader.#queue.run(() => reader.#resync('reconnected'))),
      );
      await reader.#loadCheckpoints();
      await reader.#resync('start');
    });
    reader.#untrack = trackOpenStream(transport, { kind: 'reader', snapshot: () => reader.snapshot() });
    return reader;
  }

  /** False while starting or catching up after a transport outage (the readiness check). */
  get ready(): boolean {
    return this.#ready;
  }

  get stats(): StreamReaderStats {
    return { ...this.#stats };
  }

  /** How far this reader has delivered, as a vector over the writers it follows. */
  get position(): VectorPosition {
    return VectorPosition.fromWriters(this.#positions);
  }

  positionOf(writer: string): number {
    return this.#positions.get(writer) ?? 0;
  }

  snapshot(): StreamReaderSnapshot {
    const writers = [...this.#positions].map(([writer, position]) => ({ writer, position, latest: Math.max(position, this.#latest.get(writer) ?? 0) }));
    return { stream: this.stream, ready: this.#ready, writers, stats: this.stats };
  }

  /**
   * Resolves once this reader has delivered up to `target` (read-your-writes). Rejects with
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

  /**
   * What every writer this reader follows has announced, as each answers a position query now
   * (one transport request per writer, no statement): a target for read-your-writes when the
   * write's own position is not at hand. A writer that does not answer within `timeoutMs`
   * counts as where this reader is.
   */
  async writersPosition(timeoutMs: number): Promise<VectorPosition> {
    const query = PositionQuery.encode({ stream: this.stream }).finish();
    const answers = await Promise.all(
      [...this.#positions.keys()].map(async (writer) => {
        try {
          const reply = await this.#transport.request(positionSubject(this.stream, writer), query, { timeoutMs });
          const position = int64ToNumber(PositionReply.decode(reply).position);
          this.#noteLatest(writer, position);
          return [writer, position] as const;
        } catch {
          return [writer, this.positionOf(writer)] as const;
        }
      }),
    );
    return VectorPosition.of(0, answers);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#ready = false;
    this.#untrack();
    for (const remove of this.#removeListeners) remove();
    await this.#subscription?.unsubscribe().catch(() => {});
    // Let an in-progress delivery finish before the caller closes the database.
    await this.#queue.run(async () => {});
  }

  #reached(target: VectorPosition): boolean {
    for (const [writer, position] of target.writers) if (this.positionOf(writer) < position) return false;
    if (target.min > 0) for (const position of this.#positions.values()) if (position < target.min) return false;
    return true;
  }

  async #loadCheckpoints(): Promise<void> {
    const consumer = this.#options.checkpoint;
    if (consumer === undefined) return;
    const { rows } = await this.#db.query<{ writer: string; position: number }>(
      'SELECT writer, position FROM stream_consumer_positions WHERE consumer = $1 AND stream = $2',
      [consumer, this.stream],
    );
    for (const row of rows) {
      this.#positions.set(row.writer, row.position);
      this.#saved.set(row.writer, row.position);
    }
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
      await this.#db.transaction(async (tx) => {
        await this.#options.guard?.(tx);
        for (const [writer, position] of behind) await this.#storePosition(tx, consumer, writer, position);
      });
      for (const [writer, position] of behind) this.#saved.set(writer, position);
    });
  }

  async #storePosition(tx: Queryable, consumer: string, writer: string, position: number): Promise<void> {
    await tx.query(
      `INSERT INTO stream_consumer_positions (consumer, stream, writer, position) VALUES ($1, $2, $3, $4)
       ON CONFLICT (consumer, stream, writer) DO UPDATE SET position = EXCLUDED.position`,
      [consumer, this.stream, writer, position],
    );
  }

  /** The worker-restart path: learn each writer's position, fetch up to it, mark ready. */
  async #resync(why: string): Promise<void> {
    if (this.#closed) return;
    this.#ready = false;
    const writers = new Set([...this.#options.writers, ...this.#positions.keys()]);
    for (const writer of writers) {
      const answered = await this.#writerPosition(writer);
      const current = answered === undefined ? undefined : await this.#verified(writer, answered);
      if (current !== undefined) this.#noteLatest(writer, current);
      if (!this.#positions.has(writer)) {
        this.#positions.set(writer, this.#options.startAt === 'beginning' ? 0 : current ?? 0);
      }
      if (current !== undefined && current > this.positionOf(writer)) await this.#catchUp(writer, current);
    }
    this.#ready = true;
    this.#logger.info({ stream: this.stream, why, position: this.position.toJSON() }, 'stream reader caught up');
    this.#wake();
  }

  /** Asks the writer; if it does not answer, takes its last persisted position. */
  async #writerPosition(writer: string): Promise<number | undefined> {
    try {
      const query = PositionQuery.encode({ stream: this.stream }).finish();
      const reply = await this.#transport.request(positionSubject(this.stream, writer), query, {
        timeoutMs: this.#options.positionTimeoutMs ?? 2000,
      });
      return int64ToNumber(PositionReply.decode(reply).position);
    } catch (error) {
      this.#logger.warn({ err: error, stream: this.stream, writer }, 'writer did not answer a position query; using its persisted position');
      const { rows } = await this.#db.query<{ position: number }>(
        'SELECT position FROM stream_positions WHERE stream = $1 AND instance_name = $2',
        [this.stream, writer],
      );
      return rows[0]?.position;
    }
  }

  #noteLatest(writer: string, position: number): void {
    if (position > (this.#latest.get(writer) ?? 0)) this.#latest.set(writer, position);
  }

  /**
   * Queues an advance; one drain task at a time works through everything that arrived. Decoded
   * on arrival so that the lag on /metrics counts advances still waiting behind a slow delivery.
   */
  #receive(payload: Uint8Array): void {
    let advance: Advance;
    try {
      advance = StreamAdvance.decode(payload);
    } catch (error) {
      this.#logger.warn({ err: error, stream: this.stream }, 'undecodable stream advance ignored');
      return;
    }
    if (advance.stream !== this.stream) return;
    this.#noteLatest(advance.writer, int64ToNumber(advance.position));
    this.#inbox.push(advance);
    if (this.#draining) return;
    this.#draining = true;
    void this.#queue.run(() => this.#drain());
  }

  /**
   * Applies queued advances in arrival order. Consecutive inline advances of one writer that
   * chain are delivered as one batch: a durable consumer then commits once per burst, not once
   * per advance.
   */
  async #drain(): Promise<void> {
    try {
      while (this.#inbox.length > 0 && !this.#closed) {
        const advances = this.#inbox.splice(0);
        let i = 0;
        while (i < advances.length && !this.#closed) {
          const advance = advances[i]!;
          const writer = advance.writer;
          const prev = int64ToNumber(advance.prevPosition);
          const position = int64ToNumber(advance.position);
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
              const take = (next: Advance) => {
                for (const row of next.rows) {
                  const at = int64ToNumber(row.position);
                  if (at > reached) records.push({ writer, position: at, data: decodeRowWith(this.#definition, row.data ?? new Uint8Array()) });
                }
                reached = Math.max(reached, int64ToNumber(next.position));
              };
              take(advance);
              for (let next = advances[i]; next && i < advances.length && records.length < MAX_BATCH_ROWS; next = advances[++i]) {
                if (next.writer !== writer || !next.rowsInline || int64ToNumber(next.prevPosition) > reached) break;
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

  /**
   * `claimed` capped at the stream sequence in PostgreSQL. A reader moved past the sequence would
   * skip every real advance below the claim and freeze (issue 8: one forged StreamAdvance at
   * 1e9 stalled /sync server-wide), so it only moves as far as the database can back.
   */
  async #verified(writer: string, claimed: number): Promise<number> {
    if (claimed <= this.#sequenceHigh) return claimed;
    const { rows } = await this.#db.query<{ last_value: number; is_called: boolean }>(`SELECT last_value, is_called FROM ${sequenceName(this.stream)}`);
    const row = rows[0];
    if (row) this.#sequenceHigh = Math.max(this.#sequenceHigh, row.is_called ? Number(row.last_value) : Number(row.last_value) - 1);
    if (claimed <= this.#sequenceHigh) return claimed;
    this.#logger.warn({ stream: this.stream, writer, claimed, sequence: this.#sequenceHigh }, 'a position beyond the stream sequence in PostgreSQL was announced; catching up only to the sequence');
    return this.#sequenceHigh;
  }

  /** Fetches and delivers the writer's rows in (our position, to], in pages; never beyond what PostgreSQL backs. */
  async #catchUp(writer: string, claimed: number): Promise<void> {
    const to = await this.#verified(writer, claimed);
    this.#stats.catchUps++;
    const limit = this.#options.fetchLimit ?? 500;
    let from = this.positionOf(writer);
    while (from < to && !this.#closed) {
      const rows = await this.#definition.fetchSince(this.#db, { writer, from, to, limit });
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
      await this.#db.transaction(async (tx) => {
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
        this.#logger.warn({ err: error, stream: this.stream }, 'a delivery\'s onCommit callback threw');
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
