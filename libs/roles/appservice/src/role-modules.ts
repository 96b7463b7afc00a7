// Role modules of application services:
// - the notifier (`createAppserviceNotifierModule`): durable sharded consumers of the events
//   stream (and of typing, receipts and presence for receive_ephemeral appservices), keyed by
//   appservice ID, and the senders that PUT transactions to the appservices. It runs on the
//   processes named by notify_appservices_from_worker (default main); each appservice's shard is
//   held under a lease by exactly one live instance of them, and another takes it over when the
//   holder dies (the lease lapses). Composable into any app; it does nothing elsewhere.
// - the appservice API (`appserviceApiModule`, hosted by main): ping, the appservice room
//   directory, and the appservices' sender users, created at start.
import type { AppserviceRegistration, RoleName } from '@homeserver/config';
import type { ListenerResource, RoleModule, RunningRole, ServerContext } from '@homeserver/services';
import { Appservices, EventFormatter, eventsStream, presenceStream, receiptsStream, streamWritersOf, typingStream } from '@homeserver/services';
import { appservicesOwed, insertUser } from '@homeserver/storage';
import { DEFAULT_CONSUMER_LINGER_MS, ShardedConsumer, shardOf, type StreamDefinition } from '@homeserver/streams';
import { Gauge } from '@homeserver/http';
import { TransactionSenders, type TransactionSendersOptions } from './actors/transaction-senders.ts';
import { handlePresence, handleReceipts, handleTyping } from './consumers/ephemeral-consumers.ts';
import { handleEvents, type NotifierConsumerDeps } from './consumers/events-consumer.ts';
import { registerAppserviceRoutes } from './http/appservice-routes.ts';

/** How many shards the appservices are spread over (fixed: changing it re-keys every appservice). */
export const APPSERVICE_SHARDS = 4;

export type NotifierOptions = Pick<TransactionSendersOptions, 'initialBackoffMs' | 'maxBackoffMs' | 'maxItemsPerTransaction' | 'requestTimeoutMs'> & {
  /** A held shard's lease lapses this long after its holder stopped renewing it. Default: 15000 ms. */
  readonly leaseTtlMs?: number;
  /** How often outboxes owed by newly held shards are looked for. Default: 5000 ms. */
  readonly scanEveryMs?: number;
};

export interface RunningNotifier extends RunningRole {
  /** Undefined on a process that does not run the notifier. */
  readonly senders: TransactionSenders | undefined;
}

const idle: RunningNotifier = { senders: undefined, stop: async () => {} };

export async function startAppserviceNotifier(ctx: ServerContext, options: NotifierOptions = {}): Promise<RunningNotifier> {
  const configured = ctx.config.notifyAppservicesFrom;
  const targets = ctx.config.appservices.filter((a) => a.url !== undefined);
  if (!configured.includes(ctx.instanceName) || targets.length === 0) return idle;
  const logger = ctx.logger.child({ duty: 'appservice-notifier' });
  const appservices = new Map<string, AppserviceRegistration>(targets.map((a) => [a.id, a]));
  let held: () => readonly number[] = () => [];
  const owns = (appserviceId: string) => held().includes(shardOf(appserviceId, APPSERVICE_SHARDS));
  const senders = new TransactionSenders(targets, { ...options, db: ctx.db, clock: ctx.clock, logger, owns, formatter: new EventFormatter(ctx.db, ctx.clock) });
  new Gauge({
    name: 'appservice_transactions_total',
    help: 'Transactions this process sent to application services, by outcome (sent, failed)',
    labelNames: ['outcome'],
    registers: [ctx.metrics.registry],
    collect() {
      for (const outcome of ['sent', 'failed'] as const) this.set({ outcome }, senders.stats[outcome]);
    },
  });
  const deps: NotifierConsumerDeps = { appservices, wake: (id) => senders.wake(id), now: () => ctx.clock.now() };
  // The live configured instances share the appservices (this one is always among them).
  const instances = () => configured.filter((name) => ctx.cluster.isLive(name));
  const everyId = [...appservices.keys()];
  const ephemeralIds = targets.filter((a) => a.receiveEphemeral).map((a) => a.id);
  const consume = async <Row>(name: string, stream: StreamDefinition<Row>, ids: readonly string[], handle: (items: never, context: never) => Promise<void>) =>
    (await ShardedConsumer.start(ctx.db, ctx.transport, stream, {
      name,
      instanceName: ctx.instanceName,
      instances,
      shards: APPSERVICE_SHARDS,
      lingerMs: DEFAULT_CONSUMER_LINGER_MS,
      writers: streamWritersOf(ctx.config, stream.name),
      keysOf: () => ids,
      handle: handle as never,
      logger,
      ...(options.leaseTtlMs === undefined ? {} : { leaseTtlMs: options.leaseTtlMs }),
    })) as ShardedConsumer<unknown>;
  const events = await consume('appservice', eventsStream, everyId, handleEvents(deps) as never);
  held = () => events.heldShards();
  // Ephemeral streams have their own consumers; an appservice's items from them are sent by
  // whoever holds its events shard (same name-independent shard function, same instances).
  const consumers = [events];
  if (ephemeralIds.length > 0) {
    consumers.push(await consume('appservice-typing', typingStream, ephemeralIds, handleTyping(deps) as never));
    consumers.push(await consume('appservice-receipts', receiptsStream, ephemeralIds, handleReceipts(deps) as never));
    consumers.push(await consume('appservice-presence', presenceStream, ephemeralIds, handlePresence(deps) as never));
  }
  // Outboxes left by a previous holder of a shard this process just took go out here.
  const scan = async () => {
    for (const id of await appservicesOwed(ctx.db)) if (owns(id)) senders.wake(id);
  };
  let scanning = scan().catch((error: unknown) => logger.warn({ err: error }, 'appservice outbox scan failed'));
  const timer = setInterval(() => {
    scanning = scanning.then(scan).catch((error: unknown) => logger.warn({ err: error }, 'appservice outbox scan failed'));
  }, options.scanEveryMs ?? 5000);
  timer.unref();
  logger.info({ appservices: everyId, instances: configured }, 'appservice notifier started');
  return {
    senders,
    isReady: () => consumers.every((c) => c.ready),
    stop: async () => {
      clearInterval(timer);
      await scanning;
      await Promise.all(consumers.map((c) => c.stop()));
      await senders.stop();
    },
  };
}

/** The notifier as a module of `role` (compose it into every app that may be named to run it). */
export function createAppserviceNotifierModule(role: RoleName, options: NotifierOptions = {}): RoleModule {
  return { role, start: (ctx) => startAppserviceNotifier(ctx, options) };
}

/** Ping, the appservice room directory and the sender users; composed into main. */
export const appserviceApiModule: RoleModule = {
  role: 'main',
  async start(ctx: ServerContext): Promise<RunningRole> {
    const appservices = new Appservices(ctx.config.appservices);
    // Each appservice acts as its sender user from the start, so the user must exist.
    for (const appservice of appservices.all) {
      await insertUser(ctx.db, { userId: appservice.sender, passwordHash: null, createdTs: ctx.clock.now(), displayname: appservice.senderLocalpart });
    }
    return {
      registerRoutes(app, resources: ReadonlySet<ListenerResource>) {
        if (resources.has('client')) registerAppserviceRoutes(app, { db: ctx.db, appservices, clock: ctx.clock });
      },
      stop: async () => {},
    };
  },
};
