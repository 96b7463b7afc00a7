// A durable consumer of one stream, run under a lease (ARCHITECTURE §8, "durable sharded
// consumers"): the pusher (sharded by user over pusher_instances) and the appservice notifier
// (one shard, on notify_appservices_from_worker) consume the events and receipts streams with it.
//
// Shards here are the configured instances: the process named S holds shard S's lease
// (`consumer:<name>:<S>`, so two processes started with one worker_name never both consume) and
// its position (stream_consumer_positions, consumer `<name>:<S>`), and handles the keys that
// rendezvous hashing gives S. A shard whose process is down is resumed from its stored position
// when it comes back: nothing is missed, and its delivery transaction stores the position with
// whatever the handler wrote, so nothing is enqueued twice (handlers then act at least once).
import { RendezvousPlacement, type Leases } from '@homeserver/actors';
import { seedConsumerPositions, type Database, type Queryable } from '@homeserver/storage';
import { StreamReader, type StreamDefinition, type StreamRecord } from '@homeserver/streams';
import type { Transport } from '@homeserver/transport';
import type { Logger } from 'pino';

export interface ShardDelivery {
  /** The transaction that also stores the shard's new position: write effects through it. */
  readonly tx: Queryable;
  /** Whether `key` (a user ID, an appservice ID...) belongs to this shard. */
  owns(key: string): boolean;
  /** Runs `callback` once the delivery committed (e.g. wake the senders of what it enqueued). */
  afterCommit(callback: () => void): void;
}

export interface LeasedConsumerOptions<Row> {
  /** Names the lease and the stored positions, e.g. 'pusher'. Required. */
  readonly name: string;
  readonly stream: StreamDefinition<Row>;
  /** The stream's configured writers. Required. */
  readonly writers: readonly string[];
  /** The instances keys are sharded over (this process must be one of them). Required. */
  readonly instances: readonly string[];
  /** The config key listing `instances`, named when this process is not among them. Required. */
  readonly instancesKey: string;
  /** Handles a batch; throwing leaves the position where it was (the batch comes again). Required. */
  readonly deliver: (records: StreamRecord<Row>[], delivery: ShardDelivery) => Promise<void>;
  /** Runs each time this process takes the shard's lease, before consuming (e.g. resend what is pending). */
  readonly onAcquired?: (owns: (key: string) => boolean) => Promise<void>;
}

export interface LeasedConsumerContext {
  readonly db: Database;
  readonly transport: Transport;
  readonly leases: Leases;
  readonly instanceName: string;
  readonly logger: Logger;
}

export interface LeasedConsumer {
  /** True while this process holds the shard and its reader has caught up. */
  readonly ready: boolean;
  stop(): Promise<void>;
}

export class ShardConfigError extends Error {
  override name = 'ShardConfigError';
}

export async function startLeasedConsumer<Row>(context: LeasedConsumerContext, options: LeasedConsumerOptions<Row>): Promise<LeasedConsumer> {
  const shard = context.instanceName;
  if (!options.instances.includes(shard)) {
    throw new ShardConfigError(
      `key "${options.instancesKey}" has value ${JSON.stringify(options.instances)}: this process (worker_name ${shard}) hosts ${options.name} but is not listed there`,
    );
  }
  const placement = new RendezvousPlacement({ instances: { [options.name]: options.instances } });
  const owns = (key: string) => placement.instanceFor(options.name, key) === shard;
  const logger = context.logger.child({ consumer: options.name, shard });
  const checkpoint = `${options.name}:${shard}`;
  await seedConsumerPositions(context.db, checkpoint, options.stream.name, options.writers);
  let reader: StreamReader<Row> | undefined;
  const run = context.leases.runExclusive(`consumer:${options.name}:${shard}`, async ({ signal }) => {
    await options.onAcquired?.(owns);
    // Callbacks of deliveries made while the reader was starting (its catch-up) run once it has.
    let starting: Array<() => void> | undefined = [];
    const started = await StreamReader.start(context.db, context.transport, options.stream, {
      writers: options.writers,
      checkpoint,
      logger,
      deliver: async (records, delivery) => {
        const callbacks: Array<() => void> = [];
        await options.deliver(records, { tx: delivery.tx!, owns, afterCommit: (callback) => callbacks.push(callback) });
        if (callbacks.length === 0) return;
        const run = () => {
          for (const callback of callbacks) callback();
        };
        const last = records.at(-1)!;
        // The reader commits, then moves its position: waiting for the position is waiting for the commit.
        if (starting) starting.push(run);
        else void reader?.waitFor({ writer: last.writer, position: last.position }, 60_000).then(run, () => {});
      },
    });
    reader = started;
    for (const run of starting) run();
    starting = undefined;
    if (!signal.aborted) await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    reader = undefined;
    await started.close();
  });
  return {
    get ready() {
      return run.holding && (reader?.ready ?? false);
    },
    stop: () => run.stop(),
  };
}
