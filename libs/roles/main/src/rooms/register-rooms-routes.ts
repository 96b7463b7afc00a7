// Every rooms endpoint of the main role, registered on one Fastify instance.
import type { FastifyInstance } from 'fastify';
import { registerHierarchyRoutes } from '../hierarchy/hierarchy-routes.ts';
import { registerReportRoutes } from '../reports/report-routes.ts';
import { registerSearchRoutes } from '../search/search-routes.ts';
import { registerDirectoryRoutes } from './directory-routes.ts';
import { registerMembershipRoutes } from './membership-routes.ts';
import { registerReadRoutes } from './read-routes.ts';
import { registerRelationsRoutes } from './relations-routes.ts';
import type { RoomsDeps } from './rooms-deps.ts';
import { registerSendRoutes } from './send-routes.ts';
import { registerUpgradeRoute } from './upgrade-room.ts';

export function registerRoomsRoutes(app: FastifyInstance, deps: RoomsDeps): void {
  registerMembershipRoutes(app, deps);
  registerSendRoutes(app, deps);
  registerReadRoutes(app, deps);
  registerDirectoryRoutes(app, deps);
  registerRelationsRoutes(app, deps);
  registerUpgradeRoute(app, deps);
  registerSearchRoutes(app, deps);
  registerHierarchyRoutes(app, deps);
  registerReportRoutes(app, deps);
}
