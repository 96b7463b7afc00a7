// @homeserver/services/accounts: who is asking: access-token auth (users, guests, appservices),
// server-admin checks, guest access rules, application service registrations and calls, and sync
// filters.
export type { AccessTokenAuthOptions } from './access-token-auth.ts';
export type { AppserviceAnswer, AppserviceCallOptions } from './appservice-client.ts';
export { callAppservice } from './appservice-client.ts';
export type { NamespaceKind } from './appservices.ts';
export { Appservices, noAppservices } from './appservices.ts';
export { AccessTokenAuth, hashToken, requesterOf } from './access-token-auth.ts';
export type { AccessTokenCacheOptions } from './access-token-cache.ts';
export { AccessTokenCache } from './access-token-cache.ts';
export { notServerAdmin, requireServerAdmin, serverAdminPreHandler } from './admin-check.ts';
export type { EventFilter, Filter, FilterableEvent, RoomEventFilter, RoomFilter } from './filter.ts';
export {
  DEFAULT_FILTER,
  InvalidFilterError,
  applyEventFields,
  eventMatches,
  matchesGlob,
  parseFilter,
  roomEventMatches,
  roomMatches,
} from './filter.ts';
