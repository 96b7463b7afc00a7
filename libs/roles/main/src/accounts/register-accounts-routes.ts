// Registers every route of the accounts area (auth, accounts, devices, discovery, profile,
// account data, tags, filters, cross-signing keys and key backups) on a Fastify app.
import { getUser, reserveRegistrationToken } from '@homeserver/storage';
import type { FastifyInstance } from 'fastify';
import { registerAccountDataRoutes } from '../account-data/account-data-routes.ts';
import { registerCrossSigningRoutes } from '../e2e/cross-signing-routes.ts';
import { registerRoomKeysRoutes } from '../e2e/room-keys-routes.ts';
import { registerProfileRoutes } from '../profile/profile-routes.ts';
import { registerAccountRoutes } from './account-routes.ts';
import type { AccountsDeps } from './accounts-deps.ts';
import { registerDiscoveryRoutes } from './discovery-routes.ts';
import { verifyPassword } from './password-hash.ts';
import { registerRegistrationRoutes } from './register-routes.ts';
import { registerSessionRoutes } from './session-routes.ts';
import { UserInteractiveAuth } from './uia.ts';

export function registerAccountsRoutes(app: FastifyInstance, deps: AccountsDeps): void {
  const uia = new UserInteractiveAuth(deps.db, {
    clock: deps.clock,
    serverName: deps.settings.serverName,
    checkPassword: async (userId, password) => {
      const user = await getUser(deps.db, userId);
      return user !== undefined && !user.deactivated && (await verifyPassword(password, user.passwordHash));
    },
    checkRegistrationToken: (token) => reserveRegistrationToken(deps.db, token, deps.clock.now()),
  });
  registerDiscoveryRoutes(app, deps);
  registerRegistrationRoutes(app, deps, uia);
  registerSessionRoutes(app, deps);
  registerAccountRoutes(app, deps, uia);
  registerProfileRoutes(app, deps);
  registerAccountDataRoutes(app, deps);
  // Cross-signing shares the password prompt (replacing keys) and the device_lists writer.
  registerCrossSigningRoutes(app, deps, uia);
  registerRoomKeysRoutes(app, deps);
}
