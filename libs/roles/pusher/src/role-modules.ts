// Role modules: `pusher` (the events and receipts consumers and the senders that push to
// gateways, sharded by user over pusher_instances; hosted by the pusher app or by main) and the
// pushers API (GET /pushers, POST /pushers/set), which main serves as Synapse's main does.
import type { ListenerResource, RoleModule, RunningRole, ServerContext } from '@homeserver/services';
import { AccessTokenAuth, eventsStream, pushActionsHook, receiptsStream, startLeasedConsumer, storedPushRules } from '@homeserver/services';
import { pushersWithPendingPushes } from '@homeserver/storage';
import { PushSenders, type PushSendersOptions } from './actors/push-senders.ts';
import { deliverEvents } from './consumers/events-consumer.ts';
import { deliverReceipts } from './consumers/receipts-consumer.ts';
import { registerPusherRoutes } from './http/pusher-routes.ts';

export type PusherRoleOptions = Pick<PushSendersOptions, 'initialBackoffMs' | 'maxBackoffMs' | 'giveUpAfterMs' | 'maxConcurrent' | 'requestTimeoutMs'>;

/** The running role, for tests and the bench (push counters). */
export interface RunningPusher extends RunningRole {
  readonly senders: PushSenders;
}

export async function startPusher(ctx: ServerContext, options: PusherRoleOptions = {}): Promise<RunningPusher> {
  const logger = ctx.logger.child({ role: 'pusher' });
  const senders = new PushSenders({ ...options, db: ctx.db, clock: ctx.clock, logger });
  const storePushActions = pushActionsHook(ctx.db, { pushRulesOf: storedPushRules(ctx.db) });
  const instances = ctx.config.instances.pusher;
  const wake = (pusherId: number) => senders.wake(pusherId);
  const now = () => ctx.clock.now();
  const events = await startLeasedConsumer(ctx, {
    name: 'pusher',
    stream: eventsStream,
    writers: ctx.config.instances['event-persister'],
    instances,
    instancesKey: 'pusher_instances',
    deliver: deliverEvents({ storePushActions, wake, now }),
    // What a previous run of this shard enqueued but did not send goes out first.
    onAcquired: async (owns) => {
      for (const { pusherId, userId } of await pushersWithPendingPushes(ctx.db)) if (owns(userId)) wake(pusherId);
    },
  });
  const receipts = await startLeasedConsumer(ctx, {
    name: 'pusher-receipts',
    stream: receiptsStream,
    writers: ctx.config.streamWriters['receipts'] ?? ['main'],
    instances,
    instancesKey: 'pusher_instances',
    deliver: deliverReceipts({ wake, now }),
  });
  return {
    senders,
    isReady: () => events.ready && receipts.ready,
    stop: async () => {
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
