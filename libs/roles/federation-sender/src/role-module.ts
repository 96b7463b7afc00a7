// The federation-sender role: durable sharded consumers of the events stream (PDUs) and of the
// typing, receipts, presence, to_device and device_lists streams (EDUs) queue what each other
// server is owed, sharded by destination over the live federation_sender_instances; the queues
// of the destinations whose shards this process holds send it. Hosted by the
// federation-sender app (its shard of the instances) or by main (the monolith).
import { durationMs } from '@homeserver/config';
import type { FederationClient } from '@homeserver/federation';
import type { RoleModule, RunningRole, ServerContext } from '@homeserver/services';
import { deviceListsStream, eventsStream, presenceStream, receiptsStream, streamWritersOf, toDeviceStream, typingStream } from '@homeserver/services';
import { destinationsWithQueuedWork } from '@homeserver/storage';
import { DEFAULT_CONSUMER_LINGER_MS, ShardedConsumer, shardOf, type StreamDefinition } from '@homeserver/streams';
import { Gauge } from '@homeserver/http';
import { DestinationQueues, type DestinationQueuesOptions } from './actors/destination-queues.ts';
import { DEFAULT_RETRY_SCHEDULE, type RetrySchedule } from './actors/retry-schedule.ts';
import { deviceListsConsumer, presenceConsumer, receiptsConsumer, skipUnsharedUsers, toDeviceConsumer, typingConsumer, type EduConsumer } from './consumers/edu-consumers.ts';
import { handleEventRows, pduKeys, skipLocalRooms } from './consumers/events-consumer.ts';

export interface FederationSenderOptions extends Pick<DestinationQueuesOptions, 'requestTimeoutMs'> {
  /** Sends the transactions. Default: the process's federation client (tests inject a recorder). */
  readonly client?: FederationClient;
  /** How often queued work of newly held shards is looked for. Default: 5000 ms. */
  readonly scanEveryMs?: number;
  /** Shard lease lifetime. Default: the sharded consumer's (15 s). */
  readonly leaseTtlMs?: number;
}

/** The running role, for tests and the bench. */
export interface RunningFederationSender extends RunningRole {
  readonly queues: DestinationQueues;
  /** The destination shards this process holds now. */
  heldShards(): readonly number[];
}

/**
 * How many shards destinations are spread over (fixed: changing it re-keys every destination).
 * Six consumers each run a reader per held shard, so shards cost work even on one sender.
 */
export const FEDERATION_SENDER_SHARDS = 4;

/** Names the consumers' leases and positions; every stream's shard n is placed together. */
const GROUP = 'federation-sender';

export class FederationSenderConfigError extends Error {
  override name = 'FederationSenderConfigError';
}

/** Synapse's federation.destination_* keys, checked. */
export function retryScheduleOf(ctx: Pick<ServerContext, 'config'>): RetrySchedule {
  const block = ctx.config.file.federation;
  const schedule = {
    minMs: durationMs(block?.destination_min_retry_interval, DEFAULT_RETRY_SCHEDULE.minMs),
    multiplier: block?.destination_retry_multiplier ?? DEFAULT_RETRY_SCHEDULE.multiplier,
    maxMs: durationMs(block?.destination_max_retry_interval, DEFAULT_RETRY_SCHEDULE.maxMs),
  };
  if (schedule.maxMs < schedule.minMs) {
    throw new FederationSenderConfigError(
      `key "federation.destination_max_retry_interval" has value ${JSON.stringify(block?.destination_max_retry_interval)}: it must not be shorter than federation.destination_min_retry_interval (${schedule.minMs} ms)`,
    );
  }
  return schedule;
}

export async function startFederationSender(ctx: ServerContext, options: FederationSenderOptions = {}): Promise<RunningFederationSender> {
  const logger = ctx.logger.child({ role: 'federation-sender' });
  const configured = ctx.config.instances['federation-sender'];
  if (!configured.includes(ctx.instanceName)) {
    throw new FederationSenderConfigError(
      `key "federation_sender_instances" has value ${JSON.stringify(configured)}: this process (worker_name ${ctx.instanceName}) hosts the federation-sender role but is not listed there`,
    );
  }
  const retry = retryScheduleOf(ctx);
  const shards = FEDERATION_SENDER_SHARDS;
  // The configured senders that are alive share the destinations; one that dies has its shards
  // taken over once their leases lapse, and takes them back when it returns.
  const instances = () => ctx.cluster.withRole('federation-sender').filter((name) => configured.includes(name));
  let heldShards: () => readonly number[] = () => [];
  const owns = (destination: string) => heldShards().includes(shardOf(destination, shards));
  const queues = new DestinationQueues({
    db: ctx.db,
    client: options.client ?? ctx.federation.client,
    clock: ctx.clock,
    logger,
    origin: ctx.serverName,
    owns,
    retry,
    ...(options.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: options.requestTimeoutMs }),
  });
  new Gauge({
    name: 'federation_sender_sent_total',
    help: 'What this process sent to other servers: transactions, the PDUs and EDUs in them, and failed attempts',
    labelNames: ['what'],
    registers: [ctx.metrics.registry],
    collect() {
      for (const what of ['transactions', 'pdus', 'edus', 'failures'] as const) this.set({ what }, queues.stats[what]);
    },
  });
  const deps = {
    serverName: ctx.serverName,
    shards,
    allows: (server: string) => ctx.federation.allows(server),
    wake: (d: string) => queues.wake(d),
    now: () => ctx.clock.now(),
    deviceNamesOverFederation: ctx.config.file.allow_device_name_lookup_over_federation === true,
  };
  const common = { instanceName: ctx.instanceName, instances, shards, logger, placementGroup: GROUP, lingerMs: DEFAULT_CONSUMER_LINGER_MS, ...(options.leaseTtlMs === undefined ? {} : { leaseTtlMs: options.leaseTtlMs }) };
  const start = async <Row>(definition: StreamDefinition<Row>, name: string, consumer: EduConsumer<Row> & { readonly view?: string }) =>
    (await ShardedConsumer.start(ctx.db, ctx.transport, definition, { ...common, name, writers: streamWritersOf(ctx.config, definition.name), ...consumer })) as ShardedConsumer<unknown>;

  const consumers: ShardedConsumer<unknown>[] = [];
  try {
    // Only events another server may be owed (the persister tags them): rooms of our users alone
    // cost this process nothing, not even a message.
    const events = await start(eventsStream, GROUP, { view: 'federation', keysOf: pduKeys(deps), skip: skipLocalRooms(ctx.db, ctx.serverName), handle: handleEventRows(deps) });
    consumers.push(events);
    heldShards = () => events.heldShards();
    consumers.push(
      await start(typingStream, `${GROUP}-typing`, typingConsumer(deps)),
      await start(receiptsStream, `${GROUP}-receipts`, receiptsConsumer(deps)),
      // Presence refreshes of every syncing user (one a minute each) and device changes reach
      // every shard: users who share no room with another server are skipped in one query.
      await start(presenceStream, `${GROUP}-presence`, { ...presenceConsumer(deps), skip: skipUnsharedUsers(ctx.db, ctx.serverName) }),
      await start(toDeviceStream, `${GROUP}-to-device`, toDeviceConsumer(deps)),
      await start(deviceListsStream, `${GROUP}-device-lists`, { ...deviceListsConsumer(deps), skip: skipUnsharedUsers(ctx.db, ctx.serverName) }),
    );
  } catch (error) {
    await Promise.all(consumers.map((c) => c.stop()));
    throw error;
  }

  // What this process owes from shards it just took (a previous holder queued it, then died),
  // and EDUs queued by another process's consumer while shard placement settled, go out here.
  const scan = async () => {
    for (const destination of await destinationsWithQueuedWork(ctx.db)) if (owns(destination)) queues.wake(destination);
  };
  let scanning = scan().catch((error: unknown) => logger.warn({ err: error }, 'federation queue scan failed'));
  const timer = setInterval(() => {
    scanning = scanning.then(scan).catch((error: unknown) => logger.warn({ err: error }, 'federation queue scan failed'));
  }, options.scanEveryMs ?? 5000);
  timer.unref();
  return {
    queues,
    heldShards: () => heldShards(),
    isReady: () => consumers.every((c) => c.ready),
    stop: async () => {
      clearInterval(timer);
      await scanning;
      await Promise.all(consumers.map((c) => c.stop()));
      await queues.stop();
    },
  };
}

export function createFederationSenderRole(options: FederationSenderOptions = {}): RoleModule {
  return { role: 'federation-sender', start: (ctx) => startFederationSender(ctx, options) };
}

export const federationSenderRole: RoleModule = createFederationSenderRole();
