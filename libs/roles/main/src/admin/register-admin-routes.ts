// Registers Synapse's admin API (/_synapse/admin) of the main role.
import type { FastifyInstance } from 'fastify';
import type { AccountRoomHooks } from '../accounts/accounts-deps.ts';
import type { RoomsDeps } from '../rooms/rooms-deps.ts';
import type { AdminDeps } from './admin-deps.ts';
import type { BackgroundTasks } from './background-tasks.ts';
import { registerDeviceAdminRoutes } from './device-admin-routes.ts';
import { registerEventReportRoutes } from './event-report-routes.ts';
import { registerFederationAdminRoutes } from './federation-admin-routes.ts';
import { registerPurgeHistoryRoutes } from './purge-history-routes.ts';
import { registerRegistrationTokenRoutes } from './registration-token-routes.ts';
import { registerRoomAdminRoutes } from './room-admin-routes.ts';
import { registerRoomDeletionRoutes } from './room-deletion.ts';
import { registerServerAdminRoutes } from './server-admin-routes.ts';
import { registerServerNoticeRoutes } from './server-notice-routes.ts';
import type { ServerNotices } from './server-notices.ts';
import type { MessageRateLimits } from './message-rate-limits.ts';
import { registerUserAdminRoutes } from './user-admin-routes.ts';
import { registerUserModerationRoutes } from './user-moderation-routes.ts';

export interface AdminRouteDeps extends AdminDeps {
  readonly roomsDeps: RoomsDeps;
  readonly accountRooms: AccountRoomHooks;
  readonly tasks: BackgroundTasks;
  readonly messageLimits: MessageRateLimits;
  /** Undefined when the config has no server_notices section. */
  readonly serverNotices: ServerNotices | undefined;
}

export function registerAdminRoutes(app: FastifyInstance, deps: AdminRouteDeps): void {
  registerServerAdminRoutes(app, deps);
  registerUserAdminRoutes(app, deps, deps.accountRooms);
  registerDeviceAdminRoutes(app, deps);
  registerUserModerationRoutes(app, deps, deps.messageLimits);
  registerRoomAdminRoutes(app, deps, deps.roomsDeps);
  registerRoomDeletionRoutes(app, deps, deps.tasks);
  registerPurgeHistoryRoutes(app, deps, deps.tasks);
  registerEventReportRoutes(app, deps);
  registerRegistrationTokenRoutes(app, deps);
  registerFederationAdminRoutes(app, deps);
  registerServerNoticeRoutes(app, deps, deps.serverNotices);
}
