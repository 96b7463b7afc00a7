// Public entry of @homeserver/role-sync: /sync (long-poll on stream advances) and the routes of
// the ephemeral/user streams (typing, receipts, read markers, presence, to-device, device lists,
// end-to-end keys), whose writes go to their writers in role-stream-writers.

// --- /sync ---------------------------------------------------------------------------------
export type { AccountDataChanges, AccountDataItem, AccountDataSource } from './sync/account-data-source.ts';
export { Notifier, roomKey, userKey } from './sync/notifier.ts';
export type { NotifierWaitOptions } from './sync/notifier.ts';
export { resolveSyncFilter } from './sync/sync-filter.ts';
export type { LoadFilter, SyncFilter } from './sync/sync-filter.ts';
export { SyncService } from './sync/sync-service.ts';
export type { SyncRequest, SyncServiceOptions } from './sync/sync-service.ts';
export { SYNC_STREAMS, decodeSyncToken, encodeSyncToken } from './sync/sync-token.ts';
export type { SyncStreamName, SyncToken } from './sync/sync-token.ts';
export { SyncViews } from './sync/sync-views.ts';
export type { SyncViewsOptions } from './sync/sync-views.ts';

// --- HTTP -----------------------------------------------------------------------------------
export { registerEphemeralRoutes } from './http/ephemeral-routes.ts';
export type { EphemeralRouteDeps } from './http/ephemeral-routes.ts';
export type { RoomAccountData } from './http/room-account-data.ts';
export type { Authenticate, RouteDeps } from './http/route-deps.ts';
export { registerSyncRoutes } from './http/sync-routes.ts';
export type { SyncRouteDeps } from './http/sync-routes.ts';

// --- Role modules ---------------------------------------------------------------------------
export { createEphemeralRole, createSyncRole, startEphemeral } from './role-modules.ts';
export type { EphemeralRoleOptions, SyncRoleOptions } from './role-modules.ts';
export { createRemoteDeviceListsRole } from './remote-devices/remote-device-lists-role.ts';
export { FullyReadReceipts } from './http/fully-read-receipts.ts';
export { StoredAccountData } from './sync/stored-account-data.ts';
