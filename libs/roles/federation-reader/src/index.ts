// Public entry of @homeserver/role-federation-reader: the inbound server-server API (transactions,
// room DAG reads, the membership handshakes, invites, queries) over the room input.
export { createFederationReaderRole } from './role-module.ts';
export type { FederationReaderRoleOptions } from './role-module.ts';
export { registerFederationRoutes } from './http/register-federation-routes.ts';
export type { FederationRouteDeps } from './http/federation-deps.ts';
export type { DeviceListEdu, EduSink, PresenceEdu, ReceiptEdu, ToDeviceEdu, TypingEdu } from './inbound/edus.ts';
