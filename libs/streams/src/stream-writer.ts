// One writer instance of a stream. Positions come from the stream's PostgreSQL sequence, shared
// by every writer of the stream, so they are unique and increase per writer. The caller writes
// its domain rows with allocated positions inside a transaction; after commit the writer
// announces `StreamAdvance` on `repl.<stream>`.
//
// Multi-writer correctness (as Synapse's MultiWriterIdGenerator): transactions commit out of
// order, so the announced position only passes positions whose transactions have finished. With
// allocations in flight it is (lowest in flight - 1); rows of later commits wait in `#pending`
// until then.
//
// Heartbeats, and the bounds readers can count on: a writer idle for `heartbeatMs` reads the
// stream sequence (unless it is the stream's only writer: then only its own allocations move it) and, when it may move (nothing of its own in flight, another writer took
// positions), announces the new floor: readers see a writer's floor move within heartbeatMs
// (plus one sequence read). After its last advance it confirms its position once, heartbeatMs
// later, so a reader that lost that advance sees the gap within heartbeatMs of the writer going
// idle. From then on, while nothing moves, it only re-announces every `idleHeartbeatMs`: an
// idle cluster does not wake every reader of every stream every second for nothing.
//
// Views (StreamDefinition.views): each row added may be tagged with the views it belongs to; an
// advance that carries rows of a view (or cannot say which rows it covers: not inline) is also
// announced on the view's subject, with that view's previous announcement as its prevPosition
// and only the view's rows. A view's reader thus hears only advances with work for it, and
// detects a lost one as any reader does (the prevPosition above its own). Each view's last
// announcement is confirmed by a heartbeat on its subject, as the stream's is.
import { PositionReply, StreamAdvance } from '@homeserver/protocol';
import { isUniqueViolation, prepared, type Database, type Queryable, type TransactionOptions } from '@homeserver/storage';
import type { Subscription, Transport } from '@homeserver/transport';
import {
  assertStreamName,
  encodeRowWith,
  positionSubject,
  sequenceName,
  streamSubject,
  viewSubject,
  type StreamDefinition,
} from './stream-definition.ts';
import { silentStreamLogger, type StreamLogger } from './stream-logger.ts';
import { trackOpenStream } from './open-streams.ts';
import { everyTogether } from './together.ts';
import { registerWriterId } from './writer-ids.ts';

/**
 * Takes `count` positions of a sequence. A text without parameters: as a transaction's first
 * statement it goes with BEGIN in one round trip (pg-database.ts), and a group commit's first
 * statement is its allocation. PostgreSQL plans it on every run (a simple query, ~0.01 ms):
 * the usual single position without generate_series, a little less to plan and run.
 */
const allocateSql = (sequence: string, count: number) =>
  count === 1 ? `SELECT nextval('${sequence}') AS position` : `SELECT nextval('${sequence}') AS position FROM generate_series(1, ${count})`;
// Run after advances once per heartbeat: prepared, so PostgreSQL plans it once per connection
// (scalar parameters: its plan cache settles on the generic plan, the same one).
const PERSIST_POSITION_SQL = prepared(
  `INSERT INTO stream_positions (stream, instance_name, position) VALUES ($1, $2, $3)
   ON CONFLICT (stream, instance_name) DO UPDATE SET position = GREATEST(stream_positions.position, EXCLUDED.position)`,
);

export interface StreamWriterOptions {
  /** This writer's instance name (a worker name from `stream_writers`). Required. */
  readonly instanceName: string;
  /** Checks the floor, and confirms the last advance, after this long without an advance. Default: 1000 ms. */
  readonly heartbeatMs?: number;
  /** While nothing moves, re-announces the same position this often. Default: 10 × heartbeatMs. */
  readonly idleHeartbeatMs?: number;
  /**
   * The stream's configured writers (this one among them). When this writer is the only one, the
   * stream's sequence moves only by its own allocations, so its heartbeat never reads the
   * sequence (an idle writer then costs no statement a second). Default: unknown (it reads it).
   */
  readonly writers?: readonly string[];
  /** Largest total of inline row bytes in one advance; above it readers fetch. Default: 64 KiB. */
  readonly inlineMaxBytes?: number;
  /** Default: silent. */
  readonly logger?: StreamLogger;
}

/** A transaction of the caller's, with the writer's position allocation attached. */
export interface StreamTransaction<Row> extends Queryable {
  /** Takes `count` new positions (ascending) from the stream's sequence. Default count: 1. */
  allocate(count?: number): Promise<number[]>;
  /**
   * Carries `row` (as fetchSince would return it) inline in the announcement of `position`, and
   * in the announcements of `views` (as their fetchSince would return it). Default views: none.
   */
  addRow(position: number, row: Row, views?: readonly string[]): void;
}

export interface WriteResult<T> {
  readonly value: T;
  /** The highest position this write allocated (or the writer's position if none): what read-your-writes waits for. */
  readonly position: number;
}

/** What /metrics reports of one writer. */
export interface StreamWriterSnapshot {
  readonly stream: string;
  readonly writer: string;
  /** The announced position. */
  readonly position: number;
}

export class StreamWriterError extends Error {
  override name = 'StreamWriterError';
}

/** Allocations of one transaction, finished exactly once (commit or abort). */
export interface StreamAllocation<Row> {
  allocate(tx: Queryable, count?: number): Promise<number[]>;
  addRow(position: number, row: Row, views?: readonly string[]): void;
  /** After COMMIT: the rows become announceable. Returns the highest allocated position. */
  committed(): number;
  /** After ROLLBACK (or a failed COMMIT): the positions are released. */
  aborted(): void;
}

/** A row committed and waiting for its announcement, with the views it belongs to. */
interface PendingRow {
  readonly data: Uint8Array;
  readonly views: readonly string[];
}

/** What the writer last announced on one view's subject. */
interface ViewState {
  readonly name: string;
  readonly subject: string;
  position: number;
  lastAt: number;
  lastWasHeartbeat: boolean;
}

export class StreamWriter<Row> {
  readonly stream: string;
  readonly instanceName: string;
  #db: Database;
  #transport: Transport;
  #definition: StreamDefinition<Row>;
  #logger: StreamLogger;
  #heartbeatMs: number;
  #idleHeartbeatMs: number;
  #inlineMaxBytes: number;
  #position = 0;
  #inFlight = new Set<number>();
  /**
   * Allocations whose nextval has been sent but not answered, each with the highest position
   * this writer had seen when it was sent: its positions are above that, but not yet known, and
   * a later allocation's answer may arrive first. Nothing above the lowest such floor is safe.
   */
  #outstanding = new Map<number, number>();
  #nextAllocationId = 0;
  #maxSeen = 0;
  /** Finished (committed) positions above #position; null = committed without an inline row. */
  #pending = new Map<number, PendingRow | null>();
  #views: ViewState[];
  /** The stream's only writer: no other allocation moves the sequence (StreamWriterOptions.writers). */
  #alone: boolean;
  #maxFinished = 0;
  #lastAnnounceAt = 0;
  /** Whether the last announcement was a heartbeat (the last advance is confirmed). */
  #lastWasHeartbeat = false;
  #lastCheckAt = 0;
  #stopTimer: () => void = () => {};
  #serving: Subscription | undefined;
  #persisting: Promise<void> = Promise.resolve();
  #persistQueued = false;
  /** The position last written to stream_positions, and when. */
  #persistedPosition = 0;
  #persistedAt = 0;
  #closed = false;
  #untrack: () => void = () => {};

  private constructor(db: Database, transport: Transport, definition: StreamDefinition<Row>, options: StreamWriterOptions) {
    assertStreamName(definition.name);
    if (!/^[A-Za-z0-9_-]+$/.test(options.instanceName)) {
      throw new StreamWriterError(`cannot start a writer of stream ${definition.name} named ${JSON.stringify(options.instanceName)}: instance names are letters, digits, "_" and "-"`);
    }
    this.stream = definition.name;
    this.instanceName = options.instanceName;
    this.#db = db;
    this.#transport = transport;
    this.#definition = definition;
    this.#logger = options.logger ?? silentStreamLogger;
    this.#heartbeatMs = options.heartbeatMs ?? 1000;
    this.#idleHeartbeatMs = options.idleHeartbeatMs ?? 10 * this.#heartbeatMs;
    this.#inlineMaxBytes = options.inlineMaxBytes ?? 64 * 1024;
    this.#alone = options.writers !== undefined && options.writers.every((writer) => writer === options.instanceName);
    this.#views = Object.keys(definition.views ?? {}).map((name) => ({ name, subject: viewSubject(this.stream, name), position: 0, lastAt: 0, lastWasHeartbeat: false }));
  }

  /**
   * Creates the stream's sequence if needed, takes the writer's position, answers position
   * queries and announces itself. A previous incarnation's transactions are over (committed or
   * rolled back with its connections), so the start position is the sequence's last value; the
   * first advance carries no rows, making readers fetch what the old one never announced.
   */
  static async start<Row>(db: Database, transport: Transport, definition: StreamDefinition<Row>, options: StreamWriterOptions): Promise<StreamWriter<Row>> {
    const writer = new StreamWriter(db, transport, definition, options);
    await writer.#start();
    writer.#untrack = trackOpenStream(transport, { kind: 'writer', snapshot: () => writer.snapshot() });
    return writer;
  }

  /** The announced position: every row of this writer at or below it is committed. */
  get position(): number {
    return this.#position;
  }

  snapshot(): StreamWriterSnapshot {
    return { stream: this.stream, writer: this.instanceName, position: this.#position };
  }

  /** Runs `work` in a transaction (with `options`); rows are announced after COMMIT. */
  async write<T>(work: (tx: StreamTransaction<Row>) => Promise<T>, options?: TransactionOptions): Promise<WriteResult<T>> {
    const allocation = this.begin();
    let value: T;
    try {
      value = await this.#db.transaction((tx) =>
        work({
          query: (sql, params) => tx.query(sql, params),
          allocate: (count) => allocation.allocate(tx, count),
          addRow: (position, row, views) => allocation.addRow(position, row, views),
        }),
        options,
      );
    } catch (error) {
      allocation.aborted();
      throw error;
    }
    return { value, position: allocation.committed() };
  }

  /**
   * For a transaction the caller runs itself (e.g. one writing to two streams). The caller MUST
   * call committed() or aborted() once the transaction is over, or this writer stops advancing.
   */
  begin(): StreamAllocation<Row> {
    const positions: number[] = [];
    const rows = new Map<number, PendingRow>();
    let finished = false;
    const finish = (what: string) => {
      if (finished) throw new StreamWriterError(`cannot mark an allocation of stream ${this.stream} ${what}: it is already finished`);
      finished = true;
      for (const position of positions) this.#inFlight.delete(position);
    };
    return {
      allocate: async (tx, count = 1) => {
        if (finished) throw new StreamWriterError(`cannot allocate positions of stream ${this.stream}: the allocation is finished`);
        const taken = await this.#allocate(tx, count);
        positions.push(...taken);
        return taken;
      },
      addRow: (position, row, views = []) => {
        if (!positions.includes(position)) {
          throw new StreamWriterError(`cannot add a row at position ${position} to stream ${this.stream}: this transaction did not allocate it`);
        }
        const unknown = views.filter((view) => !this.#views.some((v) => v.name === view));
        if (unknown.length > 0) throw new StreamWriterError(`cannot tag a row of stream ${this.stream} with views ${unknown.join(', ')}: the stream defines ${this.#views.map((v) => v.name).join(', ') || 'none'}`);
        rows.set(position, { data: encodeRowWith(this.#definition, row), views });
      },
      committed: () => {
        finish('committed');
        const late = positions.filter((position) => position <= this.#position);
        if (late.length > 0) {
          // Cannot happen while #safe holds; if it does, readers already skipped these rows.
          this.#logger.warn({ stream: this.stream, positions: late, announced: this.#position }, 'committed positions at or below the announced position');
        }
        for (const position of positions) {
          this.#pending.set(position, rows.get(position) ?? null);
          this.#maxFinished = Math.max(this.#maxFinished, position);
        }
        this.#advance();
        return positions.length > 0 ? Math.max(...positions) : this.#position;
      },
      aborted: () => {
        finish('aborted');
        for (const position of positions) {
          // A failed COMMIT may still have committed: readers fetch this range rather than trust
          // an inline list that would lack these rows (they find nothing if it rolled back).
          this.#pending.set(position, null);
          this.#maxFinished = Math.max(this.#maxFinished, position);
        }
        this.#advance();
      },
    };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#untrack();
    this.#stopTimer();
    await this.#serving?.unsubscribe().catch(() => {});
    this.#persistNow();
    await this.#persisting;
  }

  async #start(): Promise<void> {
    const sequence = sequenceName(this.stream);
    try {
      await this.#db.query(`CREATE SEQUENCE IF NOT EXISTS ${sequence} MINVALUE 1`);
    } catch (error) {
      // Two writers creating the sequence at once: the loser sees a unique violation; it exists now.
      if (!isUniqueViolation(error)) throw error;
    }
    // Tokens name writers by id: a writer that joins a running cluster has one before its first row.
    await registerWriterId(this.#db, this.instanceName);
    const last = await this.#lastSequenceValue();
    const { rows } = await this.#db.query<{ position: number }>(
      'SELECT position FROM stream_positions WHERE stream = $1 AND instance_name = $2',
      [this.stream, this.instanceName],
    );
    const persisted = rows[0]?.position ?? 0;
    if (persisted > last) {
      throw new StreamWriterError(`cannot start writer ${this.instanceName} of stream ${this.stream}: its persisted position ${persisted} is ahead of sequence ${sequence} (${last}); was the sequence recreated?`);
    }
    this.#position = persisted;
    this.#persistedPosition = persisted;
    for (const view of this.#views) view.position = persisted;
    this.#maxFinished = last;
    this.#maxSeen = last;
    this.#serving = await this.#transport.serve(positionSubject(this.stream, this.instanceName), () =>
      PositionReply.encode({ stream: this.stream, writer: this.instanceName, position: this.#position }).finish(),
    );
    // Not inline: rows the previous incarnation committed but never announced lie in this range.
    this.#announce(last, { heartbeat: false, forceFetch: true });
    // One timer for every writer of the process with this period (together.ts).
    this.#stopTimer = everyTogether(Math.max(10, Math.floor(this.#heartbeatMs / 2)), () => void this.#heartbeat());
  }

  async #lastSequenceValue(): Promise<number> {
    const { rows } = await this.#db.query<{ last_value: number; is_called: boolean }>(
      `SELECT last_value, is_called FROM ${sequenceName(this.stream)}`,
    );
    const row = rows[0];
    if (!row) throw new StreamWriterError(`cannot read sequence ${sequenceName(this.stream)}: no row`);
    return row.is_called ? row.last_value : row.last_value - 1;
  }

  async #allocate(tx: Queryable, count: number): Promise<number[]> {
    if (!Number.isSafeInteger(count) || count < 1) {
      throw new StreamWriterError(`cannot allocate ${count} positions of stream ${this.stream}: count must be a positive integer`);
    }
    if (this.#closed) throw new StreamWriterError(`cannot allocate positions of stream ${this.stream}: writer ${this.instanceName} is closed`);
    const id = this.#nextAllocationId++;
    this.#outstanding.set(id, this.#maxSeen);
    try {
      // sequenceName is an identifier of letters, digits and "_" (assertStreamName); count a safe integer.
      const { rows } = await tx.query<{ position: number }>(allocateSql(sequenceName(this.stream), count));
      const positions = rows.map((row) => row.position).sort((a, b) => a - b);
      for (const position of positions) this.#inFlight.add(position);
      this.#maxSeen = Math.max(this.#maxSeen, ...positions);
      return positions;
    } finally {
      this.#outstanding.delete(id);
      // The floor gave way to known positions (or nothing, if nextval failed): rows of other
      // finished transactions may be announceable now.
      this.#advance();
    }
  }

  /** Moves the announced position as far as finished transactions allow. */
  #advance(): void {
    const target = this.#safe(this.#maxFinished);
    if (target > this.#position) this.#announce(target, { heartbeat: false, forceFetch: false });
  }

  /** `wanted`, capped below every position that may still be committed by this writer. */
  #safe(wanted: number): number {
    let target = wanted;
    for (const position of this.#inFlight) target = Math.min(target, position - 1);
    for (const floor of this.#outstanding.values()) target = Math.min(target, floor);
    return target;
  }

  #announce(position: number, how: { heartbeat: boolean; forceFetch: boolean }): void {
    const prev = this.#position;
    this.#position = Math.max(prev, position);
    this.#lastAnnounceAt = Date.now();
    this.#lastWasHeartbeat = how.heartbeat;
    const rows: Array<{ position: number; data: Uint8Array; views: readonly string[] }> = [];
    let inline = !how.forceFetch;
    let bytes = 0;
    for (const [pending, row] of [...this.#pending].sort((a, b) => a[0] - b[0])) {
      if (pending > this.#position) break;
      this.#pending.delete(pending);
      if (row === null) inline = false;
      else {
        bytes += row.data.byteLength;
        rows.push({ position: pending, data: row.data, views: row.views });
      }
    }
    if (bytes > this.#inlineMaxBytes) inline = false;
    const payload = StreamAdvance.encode({
      stream: this.stream,
      writer: this.instanceName,
      prevPosition: prev,
      position: this.#position,
      rows: inline ? rows.map(({ position: at, data }) => ({ position: at, data })) : [],
      rowsInline: inline,
      heartbeat: how.heartbeat,
    }).finish();
    this.#publish(streamSubject(this.stream), payload);
    for (const view of this.#views) {
      const mine = rows.filter((row) => row.views.includes(view.name));
      // An advance that is not inline may hold rows of the view: its readers fetch the range.
      if (inline && mine.length === 0) continue;
      this.#announceView(view, inline ? mine.map(({ position: at, data }) => ({ position: at, data })) : undefined, how.heartbeat);
    }
    if (this.#position > prev) this.#persistIfDue(Date.now());
  }

  /** Announces on a view's subject: from its last announcement to the stream's position, with `rows` (undefined: readers fetch). */
  #announceView(view: ViewState, rows: Array<{ position: number; data: Uint8Array }> | undefined, heartbeat: boolean): void {
    const payload = StreamAdvance.encode({
      stream: this.stream,
      writer: this.instanceName,
      prevPosition: view.position,
      position: this.#position,
      rows: rows ?? [],
      rowsInline: rows !== undefined,
      heartbeat,
    }).finish();
    view.position = this.#position;
    view.lastAt = Date.now();
    view.lastWasHeartbeat = heartbeat;
    this.#publish(view.subject, payload);
  }

  /** Fire and forget: a lost advance costs readers latency, never rows (they fetch the gap). */
  #publish(subject: string, payload: Uint8Array): void {
    this.#transport.publish(subject, payload).catch((error: unknown) => {
      this.#logger.warn({ err: error, stream: this.stream, subject, position: this.#position }, 'stream advance not published');
    });
  }

  /**
   * Confirms each view's last announcement once, heartbeatMs after it, then every
   * idleHeartbeatMs: a view reader that lost one learns of the gap. No view rows lie between a
   * view's last announcement and the stream's position (every advance with some was announced
   * on the view), so the confirmation carries the stream's position.
   */
  #heartbeatViews(now: number): void {
    for (const view of this.#views) {
      const due = view.lastWasHeartbeat ? this.#idleHeartbeatMs : this.#heartbeatMs;
      if (now - view.lastAt >= due) this.#announceView(view, [], true);
    }
  }

  async #heartbeat(): Promise<void> {
    const now = Date.now();
    if (!this.#closed) {
      this.#heartbeatViews(now);
      this.#persistIfDue(now);
    }
    if (this.#closed || now - this.#lastAnnounceAt < this.#heartbeatMs || now - this.#lastCheckAt < this.#heartbeatMs) return;
    this.#lastCheckAt = now;
    const target = this.#alone ? this.#position : await this.#floor();
    if (this.#closed) return;
    // Nothing moved and the last advance is confirmed: only the rare keep-alive.
    if (target <= this.#position && this.#lastWasHeartbeat && Date.now() - this.#lastAnnounceAt < this.#idleHeartbeatMs) return;
    this.#announce(target, { heartbeat: true, forceFetch: false });
  }

  /** How far this writer's position may move as other writers took positions (the sequence, capped at what it has in flight). */
  async #floor(): Promise<number> {
    try {
      const last = await this.#lastSequenceValue();
      this.#maxSeen = Math.max(this.#maxSeen, last);
      // Capped after the read: an allocation sent meanwhile may hold a value at or below `last`.
      return this.#safe(last);
    } catch (error) {
      this.#logger.warn({ err: error, stream: this.stream }, 'heartbeat could not read the stream sequence');
      return this.#position;
    }
  }

  /**
   * Writes the announced position to stream_positions when it moved and heartbeatMs passed since
   * the last write (after an advance, or at the next heartbeat tick; always at close). It is only
   * a floor: a restarted writer re-announces from it (readers fetch past it), readers fall back
   * to it when the writer does not answer, and a crash could always leave it behind the
   * announced position. A write per advance was one statement per group commit.
   */
  #persistIfDue(now: number): void {
    if (this.#position > this.#persistedPosition && now - this.#persistedAt >= this.#heartbeatMs) this.#persistNow();
  }

  /** Queues a write of the announced position (bursts coalesce into one statement). */
  #persistNow(): void {
    if (this.#persistQueued) return;
    this.#persistQueued = true;
    this.#persistedAt = Date.now();
    this.#persistedPosition = this.#position;
    this.#persisting = this.#persisting.then(async () => {
      this.#persistQueued = false;
      try {
        await this.#db.query(PERSIST_POSITION_SQL, [this.stream, this.instanceName, this.#position]);
      } catch (error) {
        this.#logger.warn({ err: error, stream: this.stream }, 'stream position not persisted');
      }
    });
  }
}
