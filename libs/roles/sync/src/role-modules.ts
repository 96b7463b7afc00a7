// Role modules: `sync` (the /sync reader, hostable in its own app) and the ephemeral routes
// (hosted by main), whose writes reach the stream writers (role-stream-writers) as actors.
import { Gauge } from '@homeserver/http';
import type { ListenerResource, RoleModule, RunningRole, ServerContext } from '@homeserver/services';
import { AccessTokenAuth, accountDataStream, deviceListWrites, ephemeralWrites, PRESENCE_SYNC_REFRESH_MS, remoteDeviceLists, streamWritersOf } from '@homeserver/services';
import { getFilter } from '@homeserver/storage';
import { LiveWriterIds } from '@homeserver/streams';
import { registerEphemeralRoutes } from './http/ephemeral-routes.ts';
import { FullyReadReceipts } from './http/fully-read-receipts.ts';
import type { RoomAccountData } from './http/room-account-data.ts';
import type { Authenticate } from './http/route-deps.ts';
import { registerLegacySyncRoutes } from './http/legacy-routes.ts';
import { registerSyncRoutes } from './http/sync-routes.ts';
import { LegacySync } from './sync/legacy-sync.ts';
import { StoredAccountData } from './sync/stored-account-data.ts';
import { SyncService } from './sync/sync-service.ts';
import { SYNC_STREAMS } from './sync/sync-token.ts';
import { SyncViews } from './sync/sync-views.ts';

function writersOf(ctx: ServerContext): (stream: string) => readonly string[] {
  return (stream) => streamWritersOf(ctx.config, stream);
}

export interface SyncRoleOptions {
  /** Default: access tokens checked against the database (CS-accounts' AccessTokenAuth). */
  readonly authenticate?: Authenticate;
}

export function createSyncRole(options: SyncRoleOptions = {}): RoleModule {
  return {
    role: 'sync',
    async start(ctx) {
      const writers = writersOf(ctx);
      const writerIds = await LiveWriterIds.load(ctx.db, new Set(SYNC_STREAMS.flatMap((stream) => [...writers(stream)])));
      const views = await SyncViews.start(ctx.db, ctx.transport, {
        writersOf: writers,
        accountDataStream,
        logger: ctx.logger,
      });
      const sync = new SyncService({ db: ctx.db, views, writerIds, accountData: new StoredAccountData(ctx.db), now: () => ctx.clock.now() });
      for (const [name, stats] of Object.entries({ ...sync.cacheStats, ...views.cacheStats })) ctx.metrics.caches.register(name, stats);
      new Gauge({
        name: 'sync_long_polls_waiting',
        help: 'Long-polling /sync and /events requests parked until something new for them arrives',
        registers: [ctx.metrics.registry],
        collect() {
          this.set(views.notifier.waiting);
        },
      });
      const authenticate = options.authenticate ?? new AccessTokenAuth(ctx.db, { clock: ctx.clock }).authenticate;
      const writes = ephemeralWrites(ctx.actors);
      // Presence is best effort: a presence writer that cannot be reached must not fail the sync.
      // The writer ignores an unchanged state until its last write is PRESENCE_SYNC_REFRESH_MS old
      // (then it writes again, bumping last_active), so while the presence stream shows a write
      // younger than that, the state is not sent: otherwise every /sync crossed the bus to the
      // writer and back for nothing (in keepup-bench's profile, 4-5% of a sync worker's CPU). The
      // same interval on both ends: a clock skew between the processes only moves the refresh by
      // the skew (or sends the few requests of the skew for nothing).
      const setPresence = async (userId: string, state: string) => {
        const seen = views.presenceOf(userId);
        if (seen?.state === state && ctx.clock.now() - seen.at < PRESENCE_SYNC_REFRESH_MS) return;
        await writes.setPresenceFromSync(userId, state).catch((error: unknown) => ctx.logger.warn({ err: error, userId }, 'could not apply set_presence'));
      };
      return {
        registerRoutes(app, resources: ReadonlySet<ListenerResource>) {
          if (!resources.has('client')) return;
          registerSyncRoutes(app, {
            db: ctx.db,
            authenticate,
            clock: ctx.clock,
            serverName: ctx.serverName,
            sync,
            loadFilter: async (userId, filterId) => (/^[0-9]{1,15}$/.test(filterId) ? getFilter(ctx.db, userId, Number(filterId)) : undefined),
            setPresence,
          });
          registerLegacySyncRoutes(app, { authenticate, legacy: new LegacySync(sync, ctx.db, () => ctx.clock.now()), setPresence });
        },
        isReady: () => views.ready,
        stop: () => views.stop(),
      };
    },
  };
}

export interface EphemeralRoleOptions {
  readonly authenticate?: Authenticate;
  /** Where m.fully_read goes (CS-accounts' AccountDataService). Default: a m.fully_read receipt /sync serves as room account data. */
  readonly roomAccountData?: RoomAccountData;
}

/**
 * The ephemeral routes (typing, receipts, read markers, presence, to-device, keys) for the main
 * role's module: every write goes to the writer actor of its stream, wherever `stream_writers`
 * puts it (key uploads: to the device_lists writer).
 */
export async function startEphemeral(ctx: ServerContext, options: EphemeralRoleOptions = {}): Promise<RunningRole> {
  const writes = ephemeralWrites(ctx.actors);
  const authenticate = options.authenticate ?? new AccessTokenAuth(ctx.db, { clock: ctx.clock }).authenticate;
  return {
    registerRoutes(app, resources) {
      if (!resources.has('client')) return;
      registerEphemeralRoutes(app, {
        db: ctx.db,
        authenticate,
        clock: ctx.clock,
        serverName: ctx.serverName,
        writes,
        deviceLists: deviceListWrites(ctx.db, ctx.actors, {
          onPublishFailed: (error) => ctx.logger.warn({ err: error }, 'device-list changes stay queued: the device_lists writer did not answer'),
        }),
        roomAccountData: options.roomAccountData ?? new FullyReadReceipts(writes, () => ctx.clock.now()),
        remoteKeys: { db: ctx.db, serverName: ctx.serverName, federation: ctx.federation.client, lists: remoteDeviceLists(ctx.actors), logger: ctx.logger },
      });
    },
    stop: async () => {},
  };
}

/** startEphemeral as a module of role main, for processes whose main has nothing else. */
export function createEphemeralRole(options: EphemeralRoleOptions = {}): RoleModule {
  return { role: 'main', start: (ctx) => startEphemeral(ctx, options) };
}
