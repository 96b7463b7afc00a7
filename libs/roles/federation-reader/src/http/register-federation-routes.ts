// Every inbound server-server route of the federation-reader role, on one listener.
import type { FastifyInstance } from 'fastify';
import { registerEventRoutes } from './event-routes.ts';
import type { FederationRouteDeps } from './federation-deps.ts';
import { registerMembershipRoutes } from './membership-routes.ts';
import { registerOpenIdRoutes } from './openid-routes.ts';
import { registerQueryRoutes, type QueryRouteOptions } from './query-routes.ts';
import { registerSendRoutes } from './send-routes.ts';
import { registerUserKeyRoutes, type UserKeyRouteOptions } from './user-key-routes.ts';

export function registerFederationRoutes(app: FastifyInstance, deps: FederationRouteDeps, options: QueryRouteOptions & UserKeyRouteOptions = {}): void {
  registerSendRoutes(app, deps);
  registerMembershipRoutes(app, deps);
  registerEventRoutes(app, deps);
  registerQueryRoutes(app, deps, options);
  registerUserKeyRoutes(app, deps, options);
  registerOpenIdRoutes(app, deps);
}
