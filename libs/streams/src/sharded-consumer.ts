// A durable, sharded consumer of one stream: "consume stream S from a persisted position,
// sharded by key over the live instances, with a lease per shard". The pusher (by user), the
// federation sender (by destination) and the appservice notifier (by appservice) are built on it.
//
// - Keys (user, destination...) hash to one of `shards` shards. Each shard has a lease in
//   PostgreSQL (stream_consumer_leases) and its own position per writer (stream_consumer_positions,
//   consumer `<name>#<shard>`), so shards move between instances independently.
// - Which instance should hold a shard: rendezvous hashing over `instances()` (the live instances
//   running this consumer, e.g. from the cluster view). An instance takes the shards it should
//   hold once they are free (released by their previous holder, or expired after `leaseTtlMs` if
//   it died) and releases those it should not hold any more, after finishing its current batch.
// - A held shard runs a StreamCursor with a checkpoint: on start it catches up from PostgreSQL
//   from the saved position (after downtime, nothing is skipped), then follows the bus. Every
//   shard this instance holds follows the ONE feed (transport subscription) of the consumer: an
//   advance reaches the process once, its inline rows are parsed once, and a row's keys are
//   worked out once for all the shards (as long as the shards are in step, the usual case).
// - Delivery is at-least-once: the handler's transaction also checks the lease (holder and epoch,
//   share-locked) and saves the position; if anything fails the batch is delivered again, possibly
//   by the next holder. A batch with nothing for the shard (no items, or `skip` says so) costs no
//   transaction: its position is stored with the next delivery or rebalance. Handlers must be idempotent (e.g. keyed by event id in their own table),
//   and effects outside the transaction (an HTTP push) may repeat after a crash.
import { murmur3, RendezvousPlacement, utf8 } from '@homeserver/actors';
import { holdsShardLease, releaseShardLease, takeShardLease, type Database, type HeldShardLease, type Queryable } from '@homeserver/storage';
import type { Transport } from '@homeserver/transport';
import { assertStreamName, type StreamDefinition, type StreamRecord } from './stream-definition.ts';
import { silentStreamLogger, type StreamLogger } from './stream-logger.ts';
import { StreamCursor } from './stream-cursor.ts';
import { StreamFeed } from './stream-feed.ts';
import { everyTogether, renewTogether } from './together.ts';
import { trackOpenStream } from './open-streams.ts';
import type { StreamReaderSnapshot } from './stream-reader.ts';

/** One (row, key) pair a shard handles: a row with keys in several shards reaches each of them. */
export interface ShardItem<Row> {
  readonly key: string;
  readonly record: StreamRecord<Row>;
}

export interface ShardBatchContext {
  readonly shard: number;
  /** The delivery transaction: it also saves the shard's position and holds its lease. */
  readonly tx: Queryable;
  /** 'bus' for rows that came with an advance, 'catch-up' for rows read from PostgreSQL. */
  readonly source: 'bus' | 'catch-up';
  /** Runs `callback` after the delivery transaction committed (e.g. wake senders of what it enqueued). */
  onCommit(callback: () => void): void;
}

export interface ShardedConsumerOptions<Row> {
  /** Names the consumer's leases and positions (e.g. 'pusher'). Letters, digits, '_' and '-'. Required. */
  readonly name: string;
  /** This instance's name (its worker_name). Required. */
  readonly instanceName: string;
  /** The live instances running this consumer (this one included or not: it is added). Read at every rebalance. Required. */
  readonly instances: () => readonly string[];
  /** The stream's configured writers (writers seen later on the bus are followed too). Required. */
  readonly writers: readonly string[];
  /** The keys a row concerns; rows with no key are skipped (their position still advances). Required. */
  readonly keysOf: (row: Row, record: StreamRecord<Row>) => readonly string[] | Promise<readonly string[]>;
  /** Handles a batch of one shard, ascending per writer; throw to have it delivered again. Must be idempotent. Required. */
  readonly handle: (items: readonly ShardItem<Row>[], context: ShardBatchContext) => Promise<void>;
  /**
   * True when handling a shard's items would change nothing (e.g. none of their users has a
   * pusher), asked outside any transaction: the shard then moves on without one, as it does for
   * a batch with no items, and stores its position with a later delivery or at the next
   * rebalance (a crash meanwhile has it read those rows again). Default: every item is handled.
   */
  readonly skip?: (items: readonly ShardItem<Row>[], shard: number) => boolean | Promise<boolean>;
  /**
   * How long an advance waits for more before the shards deliver (see StreamCursorOptions
   * .lingerMs): at 40 events a second, DEFAULT_CONSUMER_LINGER_MS (100 ms) makes one skip check
   * or transaction per four events instead of one per event. Default: 0 (each advance at once).
   */
  readonly lingerMs?: number;
  /**
   * Follow only this view of the stream (StreamDefinition.views): the consumer hears only the
   * advances whose writer tagged rows for it, and catches up through the view's fetch. Default:
   * the whole stream.
   */
  readonly view?: string;
  /** Number of shards. Changing it re-keys every shard (positions restart per startAt): pick it once. Default: 16. */
  readonly shards?: number;
  /** A lease lapses this long after its last renewal. Default: 15000 ms. */
  readonly leaseTtlMs?: number;
  /** How often leases are renewed and shards rebalanced. Default: leaseTtlMs / 3. */
  readonly rebalanceEveryMs?: number;
  /** Where a shard that never saved a position starts: the writers' current positions, or the beginning. Default: 'current'. */
  readonly startAt?: 'current' | 'beginning';
  /**
   * Consumers started with the same group place shard n on the same instance (as long as they
   * see the same live instances), so one instance holds every stream's shard n of a key space
   * (e.g. the federation sender's destinations). Default: the consumer's name.
   */
  readonly placementGroup?: string;
  /** Default: silent. */
  readonly logger?: StreamLogger;
}

export class ShardLeaseLostError extends Error {
  override name = 'ShardLeaseLostError';
}

export const DEFAULT_CONSUMER_SHARDS = 16;
/** What the pusher, federation sender and appservice notifier wait for more advances: latency nobody notices. */
export const DEFAULT_CONSUMER_LINGER_MS = 100;

interface HeldShard {
  readonly lease: HeldShardLease;
  cursor: StreamCursor<unknown> | undefined;
  lost: boolean;
}

/** Where a row's keys fall: key and shard, worked out once per record for every shard. */
type KeyedShards = ReadonlyArray<{ readonly key: string; readonly shard: number }>;

/** Which shard a key belongs to (the same on every instance and version). */
export function shardOf(key: string, shards: number): number {
  return murmur3(utf8(key), 0) % shards;
}

/**
 * One key per shard, each hashing to its shard (the first such among 'shard-0', 'shard-1'...):
 * for rows that concern every shard (an event concerns every member of its room, and who they
 * are is only known inside the delivery), so each shard picks its own keys there.
 */
export function everyShardKeys(shards: number): readonly string[] {
  const keys = new Array<string | undefined>(shards).fill(undefined);
  let found = 0;
  for (let i = 0; found < shards; i++) {
    const key = `shard-${i}`;
    const shard = shardOf(key, shards);
    if (keys[shard] === undefined) {
      keys[shard] = key;
      found++;
    }
  }
  // Frozen: the same list every time, which the consumer then hashes once.
  return Object.freeze(keys as string[]);
}

export class ShardedConsumer<Row> {
  readonly name: string;
  #db: Database;
  #transport: Transport;
  #definition: StreamDefinition<Row>;
  #options: ShardedConsumerOptions<Row>;
  #shards: number;
  #ttlMs: number;
  #logger: StreamLogger;
  #held = new Map<number, HeldShard>();
  /** The consumer's one subscription to the stream, open while this instance holds a shard. */
  #feed: StreamFeed<Row> | undefined;
  #untrack: () => void = () => {};
  /** Bus records are shared by the shards' cursors: their keys are asked for once. */
  #keyed = new WeakMap<StreamRecord<Row>, Promise<KeyedShards>>();
  #keyedLists = new WeakMap<readonly string[], KeyedShards>();
  #stopTimer: () => void = () => {};
  #rebalancing: Promise<void> = Promise.resolve();
  #stopped = false;

  private constructor(db: Database, transport: Transport, definition: StreamDefinition<Row>, options: ShardedConsumerOptions<Row>) {
    assertStreamName(definition.name);
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(options.name)) throw new Error(`cannot start sharded consumer ${JSON.stringify(options.name)}: names are letters, digits, "_" and "-"`);
    const shards = options.shards ?? DEFAULT_CONSUMER_SHARDS;
    if (!Number.isInteger(shards) || shards < 1 || shards > 1024) throw new Error(`cannot start sharded consumer ${options.name} with ${shards} shards: expected an integer from 1 to 1024`);
    this.name = options.name;
    this.#db = db;
    this.#transport = transport;
    this.#definition = definition;
    this.#options = options;
    this.#shards = shards;
    this.#ttlMs = options.leaseTtlMs ?? 15_000;
    this.#logger = options.logger ?? silentStreamLogger;
  }

  /** Takes the shards this instance should hold (those free now), then keeps rebalancing. */
  static async start<Row>(db: Database, transport: Transport, definition: StreamDefinition<Row>, options: ShardedConsumerOptions<Row>): Promise<ShardedConsumer<Row>> {
    const consumer = new ShardedConsumer(db, transport, definition, options);
    await consumer.rebalance();
    const everyMs = options.rebalanceEveryMs ?? Math.max(50, Math.floor(consumer.#ttlMs / 3));
    // One timer for every consumer of the process with this period, so that their lease renewals
    // go out together (together.ts).
    consumer.#stopTimer = everyTogether(everyMs, () => void consumer.rebalance());
    return consumer;
  }

  /** The shards this instance holds now, ascending. */
  heldShards(): number[] {
    return [...this.#held.keys()].sort((a, b) => a - b);
  }

  /** True once every held shard's cursor has caught up. */
  get ready(): boolean {
    return [...this.#held.values()].every((held) => held.cursor?.ready === true);
  }

  /**
   * The consumer as /metrics and the cluster report see one reader: per writer, the position of
   * its slowest held shard (what an operator needs), ready once every shard is.
   */
  snapshot(): StreamReaderSnapshot {
    const writers = new Map<string, { writer: string; position: number; latest: number }>();
    const stats = { viaBus: 0, viaCatchUp: 0, catchUps: 0 };
    for (const { cursor } of this.#held.values()) {
      if (!cursor) continue;
      for (const w of cursor.writers()) {
        const known = writers.get(w.writer);
        writers.set(w.writer, known ? { writer: w.writer, position: Math.min(known.position, w.position), latest: Math.max(known.latest, w.latest) } : w);
      }
      const s = cursor.stats;
      stats.viaBus += s.viaBus;
      stats.viaCatchUp += s.viaCatchUp;
      stats.catchUps += s.catchUps;
    }
    return { stream: this.#definition.name, ready: this.ready, writers: [...writers.values()], stats };
  }

  /**
   * Renews held leases, drops lost ones, releases shards another live instance should hold and
   * takes free ones this instance should hold. Runs on a timer; call it after the live instances
   * changed to react at once. Concurrent calls run one after the other.
   */
  rebalance(): Promise<void> {
    this.#rebalancing = this.#rebalancing.then(() => this.#rebalanceOnce()).catch((error: unknown) => {
      this.#logger.warn({ err: error, consumer: this.name }, 'sharded consumer rebalance failed; will retry');
    });
    return this.#rebalancing;
  }

  /** Stops every shard (finishing its current batch) and releases the leases. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#stopTimer();
    await this.#rebalancing;
    await Promise.all([...this.#held.keys()].map((shard) => this.#drop(shard, { release: true })));
  }

  async #rebalanceOnce(): Promise<void> {
    if (this.#stopped) return;
    const self = this.#options.instanceName;
    const instances = [...new Set([...this.#options.instances(), self])];
    const placement = new RendezvousPlacement({ instances: { shard: instances } });
    // Every held lease in one statement (not one per shard, nor per consumer): what is still ours after it.
    const renewed = await renewTogether(this.#db, [...this.#held.values()].filter((held) => !held.lost).map((held) => held.lease), this.#ttlMs);
    for (let shard = 0; shard < this.#shards && !this.#stopped; shard++) {
      const wanted = placement.instanceFor('shard', `${this.#options.placementGroup ?? this.name}#${shard}`) === self;
      const held = this.#held.get(shard);
      if (held) {
        if (held.lost || !renewed.has(shard)) {
          this.#logger.warn({ consumer: this.name, shard, epoch: held.lease.epoch }, 'shard lease lost; stopping the shard');
          await this.#drop(shard, { release: false });
        } else if (!wanted) {
          this.#logger.info({ consumer: this.name, shard, instances }, 'another live instance should hold the shard; releasing it');
          await this.#drop(shard, { release: true });
        } else {
          await this.#saveCheckpoint(shard, held);
        }
        continue;
      }
      if (!wanted) continue;
      const key = { consumer: this.name, shard, holder: self };
      const epoch = await takeShardLease(this.#db, key, this.#ttlMs);
      if (epoch === undefined) continue;
      await this.#run({ ...key, epoch });
    }
  }

  async #run(lease: HeldShardLease): Promise<void> {
    const held: HeldShard = { lease, cursor: undefined, lost: false };
    this.#held.set(lease.shard, held);
    this.#logger.info({ consumer: this.name, shard: lease.shard, epoch: lease.epoch }, 'shard lease taken; catching up');
    /** A batch's items, worked out once for skip and deliver (the cursor hands both the same array). */
    const itemsOf = new WeakMap<object, Promise<ShardItem<Row>[]>>();
    const shardItems = (records: StreamRecord<Row>[]) => {
      let items = itemsOf.get(records);
      if (!items) {
        items = this.#itemsOf(records, lease.shard);
        itemsOf.set(records, items);
      }
      return items;
    };
    try {
      held.cursor = (await StreamCursor.start(await this.#openFeed(), {
        writers: this.#options.writers,
        checkpoint: `${this.name}#${lease.shard}`,
        startAt: this.#options.startAt ?? 'current',
        lingerMs: this.#options.lingerMs ?? 0,
        logger: this.#logger,
        // Only a holder at the lease's epoch stores a position or effects (share-locked to commit).
        guard: async (tx) => {
          if (held.lost || !(await holdsShardLease(tx, lease))) {
            held.lost = true;
            throw new ShardLeaseLostError(`consumer ${this.name} no longer holds shard ${lease.shard} (epoch ${lease.epoch}); its next holder delivers these rows`);
          }
        },
        skip: async (records) => {
          const items = await shardItems(records);
          return items.length === 0 || (this.#options.skip !== undefined && (await this.#options.skip(items, lease.shard)));
        },
        deliver: async (records, context) => {
          // A checkpointed cursor always delivers inside a transaction.
          const items = await shardItems(records);
          await this.#options.handle(items, { shard: lease.shard, tx: context.tx!, source: context.source, onCommit: context.onCommit });
        },
      })) as StreamCursor<unknown>;
    } catch (error) {
      this.#held.delete(lease.shard);
      await this.#closeFeedIfUnused();
      await releaseShardLease(this.#db, lease).catch(() => {});
      throw error;
    }
  }

  async #openFeed(): Promise<StreamFeed<Row>> {
    if (this.#feed) return this.#feed;
    this.#feed = await StreamFeed.open(this.#db, this.#transport, this.#definition, { logger: this.#logger, ...(this.#options.view === undefined ? {} : { view: this.#options.view }) });
    this.#untrack = trackOpenStream(this.#transport, { kind: 'reader', snapshot: () => this.snapshot() });
    return this.#feed;
  }

  /** With no shard held, the consumer costs the process nothing: not even a subscription. */
  async #closeFeedIfUnused(): Promise<void> {
    if (this.#held.size > 0 || !this.#feed) return;
    const feed = this.#feed;
    this.#feed = undefined;
    this.#untrack();
    await feed.close();
  }

  /** A record's keys and their shards, asked of `keysOf` once however many shards hold it. */
  #keysOf(record: StreamRecord<Row>): Promise<KeyedShards> {
    let keyed = this.#keyed.get(record);
    if (!keyed) {
      keyed = Promise.resolve(this.#options.keysOf(record.data, record)).then((keys) => this.#shardsOf(keys));
      this.#keyed.set(record, keyed);
    }
    return keyed;
  }

  /**
   * Keys with their shards. A keysOf that answers with one frozen list (everyShardKeys, as the
   * pusher's and federation sender's events consumers do) has it hashed once, not per row.
   */
  #shardsOf(keys: readonly string[]): KeyedShards {
    const known = this.#keyedLists.get(keys);
    if (known) return known;
    const keyed = keys.map((key) => ({ key, shard: shardOf(key, this.#shards) }));
    if (Object.isFrozen(keys)) this.#keyedLists.set(keys, keyed);
    return keyed;
  }

  async #itemsOf(records: readonly StreamRecord<Row>[], shard: number): Promise<ShardItem<Row>[]> {
    const items: ShardItem<Row>[] = [];
    for (const record of records) {
      for (const keyed of await this.#keysOf(record)) if (keyed.shard === shard) items.push({ key: keyed.key, record });
    }
    return items;
  }

  /** Stores the position a shard reached past skipped rows; a failure (a lost lease) is seen at the next renewal. */
  async #saveCheckpoint(shard: number, held: HeldShard): Promise<void> {
    await held.cursor?.saveCheckpoint().catch((error: unknown) => this.#logger.warn({ err: error, consumer: this.name, shard }, 'could not store a shard position; it is stored with the next delivery'));
  }

  async #drop(shard: number, how: { release: boolean }): Promise<void> {
    const held = this.#held.get(shard);
    if (!held) return;
    this.#held.delete(shard);
    await held.cursor?.close();
    await this.#closeFeedIfUnused();
    // What the shard moved past without a delivery: the next holder need not read it again.
    if (how.release && !held.lost) await this.#saveCheckpoint(shard, held);
    if (how.release) await releaseShardLease(this.#db, held.lease).catch((error: unknown) => this.#logger.warn({ err: error, consumer: this.name, shard }, 'could not release a shard lease; it will expire'));
  }
}
