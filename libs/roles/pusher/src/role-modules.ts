// Role modules: `pusher` (the events and receipts consumers and the senders that push to
// gateways, sharded by user over the live pusher_instances; hosted by the pusher app or by main)
// and the pushers API (GET /pushers, POST /pushers/set), which main serves as Synapse's main does.
import type { ListenerResource, RoleModule, RunningRole, ServerContext } from '@homeserver/services';
import { AccessTokenAuth, eventsStream, receiptsStream } from '@homeserver/services';
import { pushersWithPendingPushes } from '@homeserver/storage';
import { DEFAULT_CONSUMER_LINGER_MS, everyShardKeys, ShardedConsumer, shardOf } from '@homeserver/streams';
import { Gauge } from '@homeserver/http';
import { PushSenders, type PushSendersOptions } from './actors/push-senders.ts';
import { handleEvents, skipEvents } from './consumers/events-consumer.ts';
import { handleReceipts, receiptKeys, skipReceipts } from './consumers/receipts-consumer.ts';
import { registerPusherRoutes } from './http/pusher-routes.ts';

export type PusherRoleOptions = Pick<PushSendersOptions, 'initialBackoffMs' | 'maxBackoffMs' | 'giveUpAfterMs' | 'maxConcurrent' | 'requestTimeoutMs'> & {
  /** How often pending pushes of newly held shards are looked for. Default: 5000 ms. */
  readonly scanEveryMs?: number;
};

/** The running role, for tests and the bench (push counters). */
export interface RunningPusher extends RunningRole {
  readonly senders: PushSenders;
}

/** How many shards the pusher's users are spread over (fixed: changing it re-keys every user). */
export const PUSHER_SHARDS = 4;

export class PusherConfigError extends Error {
  override name = 'PusherConfigError';
}

export async function startPusher(ctx: ServerContext, options: PusherRoleOptions = {}): Promise<RunningPusher> {
  const logger = ctx.logger.child({ role: 'pusher' });
  const configured = ctx.config.instances.pusher;
  if (!configured.includes(ctx.instanceName)) {
    throw new PusherConfigError(`key "pusher_instances" has value ${JSON.stringify(configured)}: this process (worker_name ${ctx.instanceName}) hosts the pusher role but is not listed there`);
  }
  // The configured pushers that are alive share the users: one that dies has its shards taken
  // over once their leases lapse, and takes them back when it returns.
  const instances = () => ctx.cluster.withRole('pusher').filter((name) => configured.includes(name));
  // Every shard runs its own reader per batch (a transaction only when one of its users has a
  // pusher in the batch's rooms), so shards cost work even on a one-pusher server: 4 keep that
  // small while still spreading users over up to 4 pushers (more pushers than shards leave the
  // extra ones idle). Changing it re-keys every user.
  const shards = PUSHER_SHARDS;
  // The events consumer's shards decide whose pushes this process sends (none until it started).
  let heldShards: () => readonly number[] = () => [];
  const owns = (userId: string) => heldShards().includes(shardOf(userId, shards));
  const senders = new PushSenders({ ...options, db: ctx.db, clock: ctx.clock, logger, owns });
  // Pushes by outcome, read at scrape time (a counter in all but name: it only grows).
  new Gauge({
    name: 'pusher_pushes_total',
    help: 'Pushes this process made to push gateways, by outcome (sent, failed, dropped after the give-up age)',
    labelNames: ['outcome'],
    registers: [ctx.metrics.registry],
    collect() {
      for (const outcome of ['sent', 'failed', 'dropped'] as const) this.set({ outcome }, senders.stats[outcome]);
    },
  });
  const wake = (pusherId: number) => senders.wake(pusherId);
  const now = () => ctx.clock.now();
  const keys = everyShardKeys(shards);
  const common = { instanceName: ctx.instanceName, instances, shards, logger, lingerMs: DEFAULT_CONSUMER_LINGER_MS };
  const events = (await ShardedConsumer.start(ctx.db, ctx.transport, eventsStream, {
    ...common,
    name: 'pusher',
    // Only events that produced push actions (the persister tags them): rooms where nobody is
    // notified cost this process nothing, not even a message.
    view: 'push',
    writers: ctx.config.instances['event-persister'],
    keysOf: () => keys,
    skip: skipEvents(ctx.db, shards),
    handle: handleEvents({ shards, wake, now }),
  })) as ShardedConsumer<unknown>;
  heldShards = () => events.heldShards();
  const receipts = (await ShardedConsumer.start(ctx.db, ctx.transport, receiptsStream, {
    ...common,
    name: 'pusher-receipts',
    writers: ctx.config.streamWriters['receipts'] ?? ['main'],
    keysOf: receiptKeys,
    skip: skipReceipts(ctx.db),
    handle: handleReceipts({ wake, now }),
  })) as ShardedConsumer<unknown>;

  // What this process owes from shards it just took (a previous holder enqueued, then died) goes
  // out here. (Sent pushes are forgotten by the background tasks, run_background_tasks_on.)
  const scan = async () => {
    for (const { pusherId, userId } of await pushersWithPendingPushes(ctx.db)) if (owns(userId)) wake(pusherId);
  };
  let scanning = scan().catch((error: unknown) => logger.warn({ err: error }, 'pending push scan failed'));
  const timer = setInterval(() => {
    scanning = scanning.then(scan).catch((error: unknown) => logger.warn({ err: error }, 'pending push scan failed'));
  }, options.scanEveryMs ?? 5000);
  timer.unref();
  return {
    senders,
    isReady: () => events.ready && receipts.ready,
    stop: async () => {
      clearInterval(timer);
      await scanning;
      await Promise.all([events.stop(), receipts.stop()]);
      await senders.stop();
    },
  };
}

export function createPusherRole(options: PusherRoleOptions = {}): RoleModule {
  return { role: 'pusher', start: (ctx) => startPusher(ctx, options) };
}

export const pusherRole: RoleModule = createPusherRole();

/** GET /pushers and POST /pushers/set, composed into main (Synapse serves them on main). */
export const pushersApiModule: RoleModule = {
  role: 'main',
  async start(ctx: ServerContext): Promise<RunningRole> {
    const auth = new AccessTokenAuth(ctx.db, { clock: ctx.clock });
    return {
      registerRoutes(app, resources: ReadonlySet<ListenerResource>) {
        if (resources.has('client')) registerPusherRoutes(app, { db: ctx.db, auth, clock: ctx.clock });
      },
      stop: async () => {},
    };
  },
};
