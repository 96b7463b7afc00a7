// Public entry of @homeserver/role-main: the main process's client API areas.
export { mainRole } from './main-role.ts';

// --- Accounts (CS-accounts): auth, accounts, devices, discovery, profile, account data ------
export type { AccountRoomHooks, AccountsDeps, AccountsSettings } from './accounts/accounts-deps.ts';
export { registerAccountsRoutes } from './accounts/register-accounts-routes.ts';
export { AccountDataService } from './account-data/account-data-service.ts';
export { SUPPORTED_VERSIONS } from './accounts/discovery-routes.ts';
export { hashPassword, verifyPassword } from './accounts/password-hash.ts';

// --- Rooms (CS-rooms): createRoom, membership, send/state/redact, reads, directory, relations -
export type { RoomsDeps } from './rooms/rooms-deps.ts';
export { registerRoomsRoutes } from './rooms/register-rooms-routes.ts';
