// Role modules: `sync` (the /sync reader, hostable in its own app) and the ephemeral/user
// stream writers with their routes (hosted by main, which is their default writer).
import type { ListenerResource, RoleModule, RunningRole, ServerContext } from '@homeserver/services';
import { AccessTokenAuth, accountDataStream, pushActionsHook, storedPushRules } from '@homeserver/services';
import { getFilter } from '@homeserver/storage';
import { LiveWriterIds } from '@homeserver/streams';
import { presenceActorClientDefinition, presenceActorDefinition } from './ephemeral/presence-actor.ts';
import { TypingService } from './ephemeral/typing-service.ts';
import { registerEphemeralRoutes } from './http/ephemeral-routes.ts';
import { FullyReadReceipts } from './http/fully-read-receipts.ts';
import type { RoomAccountData } from './http/room-account-data.ts';
import type { Authenticate } from './http/route-deps.ts';
import { registerLegacySyncRoutes } from './http/legacy-routes.ts';
import { registerSyncRoutes } from './http/sync-routes.ts';
import { LegacySync } from './sync/legacy-sync.ts';
import { startEphemeralWriters, stopEphemeralWriters } from './streams/ephemeral-writers.ts';
import { StoredAccountData } from './sync/stored-account-data.ts';
import { SyncService } from './sync/sync-service.ts';
import { SYNC_STREAMS } from './sync/sync-token.ts';
import { SyncViews } from './sync/sync-views.ts';

const EPHEMERAL_STREAMS = ['typing', 'receipts', 'presence', 'to_device', 'device_lists'];

function writersOf(ctx: ServerContext): (stream: string) => readonly string[] {
  return (stream) => (stream === 'events' ? ctx.config.instances['event-persister'] : (ctx.config.streamWriters[stream] ?? ['main']));
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
        onEvents: pushActionsHook(ctx.db, { pushRulesOf: storedPushRules(ctx.db) }),
        logger: ctx.logger,
      });
      const sync = new SyncService({ db: ctx.db, views, writerIds, accountData: new StoredAccountData(ctx.db), now: () => ctx.clock.now() });
      const authenticate = options.authenticate ?? new AccessTokenAuth(ctx.db, { clock: ctx.clock }).authenticate;
      const presence = ctx.actors.client(presenceActorClientDefinition);
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
            // Presence is best effort: a presence writer that cannot be reached must not fail the sync.
            setPresence: async (userId, state) => {
              await presence.tell(userId, 'setFromSync', { state }).catch((error: unknown) => ctx.logger.warn({ err: error, userId }, 'could not apply set_presence'));
            },
          });
          registerLegacySyncRoutes(app, { authenticate, legacy: new LegacySync(sync, ctx.db, () => ctx.clock.now()) });
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
 * Starts the ephemeral/user stream writers and returns their routes, for the main role's
 * module to call (the runtime hosts one module per role, so main composes this in).
 */
export async function startEphemeral(ctx: ServerContext, options: EphemeralRoleOptions = {}): Promise<RunningRole> {
  for (const stream of EPHEMERAL_STREAMS) {
    const configured = writersOf(ctx)(stream);
    if (!configured.includes(ctx.instanceName)) {
      ctx.logger.warn({ stream, configured }, 'this process hosts the ephemeral routes but is not a configured writer of the stream');
    }
  }
  const writers = await startEphemeralWriters(ctx.db, ctx.transport, { instanceName: ctx.instanceName, logger: ctx.logger });
  ctx.actors.host(presenceActorDefinition(writers.presence, () => ctx.clock.now()));
  const typing = new TypingService(writers.typing);
  const authenticate = options.authenticate ?? new AccessTokenAuth(ctx.db, { clock: ctx.clock }).authenticate;
  return {
    registerRoutes(app, resources) {
      if (!resources.has('client')) return;
      registerEphemeralRoutes(app, {
        db: ctx.db,
        authenticate,
        clock: ctx.clock,
        serverName: ctx.serverName,
        writers,
        typing,
        roomAccountData: options.roomAccountData ?? new FullyReadReceipts(writers.receipts, () => ctx.clock.now()),
      });
    },
    async stop() {
      typing.close();
      await stopEphemeralWriters(writers);
    },
  };
}

/** startEphemeral as a module of role main, for processes whose main has nothing else. */
export function createEphemeralRole(options: EphemeralRoleOptions = {}): RoleModule {
  return { role: 'main', start: (ctx) => startEphemeral(ctx, options) };
}
