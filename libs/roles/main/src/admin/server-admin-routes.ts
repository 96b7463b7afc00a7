// Server-wide admin endpoints: the version (/v1/server_version) and background updates status
// (/v1/background_updates/status). This server migrates its schema before serving, so no
// background update ever runs: the status reports none, as Synapse does when it has none.
import type { FastifyInstance } from 'fastify';
import type { AdminDeps } from './admin-deps.ts';
import { adminRoute } from './admin-route.ts';

export function registerServerAdminRoutes(app: FastifyInstance, deps: AdminDeps): void {
  adminRoute(app, deps.auth, 'GET', '/_synapse/admin/v1/server_version', {}, async () => ({ server_version: deps.serverVersion() }));
  adminRoute(app, deps.auth, 'GET', '/_synapse/admin/v1/background_updates/status', {}, async () => ({ enabled: true, current_updates: {} }));
}
