// The contract between the runtime and a role: the runtime starts each role its process hosts,
// lets it register routes on the listeners whose resources it serves, and stops it on shutdown.
import type { RoleName } from '@homeserver/config';
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from './server-context.ts';

/** Listener resource names as in Synapse's `listeners[].resources[].names`. */
export type ListenerResource = 'client' | 'federation' | 'keys' | 'media' | 'health' | 'metrics' | 'replication' | 'static' | 'openid' | 'consent';

export interface RunningRole {
  /** Registers this role's HTTP routes on a listener serving `resources`. */
  registerRoutes?(app: FastifyInstance, resources: ReadonlySet<ListenerResource>): void | Promise<void>;
  /** False while the role is catching up (readiness check). Default: ready. */
  isReady?(): boolean;
  /** Drains and releases what start() took. */
  stop(): Promise<void>;
}

export interface RoleModule {
  readonly role: RoleName;
  /**
   * Hosts the role's actors, stream writers and readers. Roles a process hosts start in the
   * order of the runtime's role list: the stream writers (event-persister, main) before the roles that read their streams.
   */
  start(context: ServerContext): Promise<RunningRole>;
}

/**
 * A module whose library is imported only when a process hosting `role` starts it, so an app
 * composing many roles pays memory for the ones its config gives it, not for all of them.
 */
export function lazyRoleModule(role: RoleName, load: () => Promise<RoleModule>): RoleModule {
  return {
    role,
    async start(context) {
      const module = await load();
      if (module.role !== role) throw new Error(`lazyRoleModule: declared as ${role} but the loaded module is ${module.role}`);
      return module.start(context);
    },
  };
}
