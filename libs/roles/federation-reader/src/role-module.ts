// The federation-reader role module: inbound /_matrix/federation/* on listeners serving the
// `federation` resource and the key API (/_matrix/key/v2/*, fed-core's routes) on those and on
// `keys` listeners (hosted by apps/federation-reader and by the monolith), and the
// forgetting of received transaction IDs after a day, as Synapse does.
import { registerKeyRoutes } from '@homeserver/federation';
import type { RoleModule } from '@homeserver/services';
import { RoomClient } from '@homeserver/services';
import { pruneInboundTxns } from '@homeserver/storage';
import { registerFederationRoutes } from './http/register-federation-routes.ts';
import { registerOpenIdRoutes } from './http/openid-routes.ts';
import type { FederationRouteDeps } from './http/federation-deps.ts';
import { actorEduSink } from './inbound/actor-edu-sink.ts';

const TXN_MEMORY_MS = 24 * 60 * 60_000;
const PRUNE_EVERY_MS = 60 * 60_000;

export interface FederationReaderRoleOptions {
  /** Reported by /_matrix/federation/v1/version. Default: HOMESERVER_VERSION or 0.0.0. */
  readonly version?: string;
}

export function createFederationReaderRole(options: FederationReaderRoleOptions = {}): RoleModule {
  return {
    role: 'federation-reader',
    async start(ctx) {
      const deps: FederationRouteDeps = {
        db: ctx.db,
        serverName: ctx.serverName,
        signingKey: ctx.signingKey,
        federation: ctx.federation,
        rooms: new RoomClient(ctx.actors, ctx.db),
        edus: actorEduSink(ctx.actors, { now: () => ctx.clock.now() }),
        clock: ctx.clock,
        logger: ctx.logger,
        version: options.version ?? process.env['HOMESERVER_VERSION'] ?? '0.0.0',
      };
      const prune = setInterval(() => {
        pruneInboundTxns(ctx.db, ctx.clock.now() - TXN_MEMORY_MS).catch((error: unknown) => ctx.logger.warn({ err: error }, 'pruning received federation transactions failed'));
      }, PRUNE_EVERY_MS);
      prune.unref();
      const publicRoomsOverFederation = ctx.config.file.allow_public_rooms_over_federation === true;
      const deviceNamesOverFederation = ctx.config.file.allow_device_name_lookup_over_federation === true;
      return {
        registerRoutes(app, resources) {
          if (resources.has('federation')) registerFederationRoutes(app, deps, { publicRoomsOverFederation, deviceNamesOverFederation });
          // `openid` (Synapse's resource): only the userinfo endpoint, e.g. on a client listener
          // that third parties reach when the federation port is not public.
          else if (resources.has('openid')) registerOpenIdRoutes(app, deps);
          // Synapse serves the key API on `federation` listeners as well as on `keys` ones.
          if (resources.has('federation') || resources.has('keys')) registerKeyRoutes(app, { federation: ctx.federation });
        },
        async stop() {
          clearInterval(prune);
        },
      };
    },
  };
}
