export * from './federation.ts';
export { createFederation, type FederationCore, type FederationDeps } from './create-federation.ts';
export { HttpFederationClient, type HttpFederationClientOptions } from './federation-client.ts';
export { xMatrixAuth, type XMatrixAuthOptions } from './inbound-auth.ts';
export { IpPolicy, type IpPolicyOptions } from './ip-policy.ts';
export { registerKeyRoutes, type KeyRoutesContext } from './key-routes.ts';
export { RemoteKeyStore, type RemoteKeyStoreOptions } from './remote-key-store.ts';
export { DEFAULT_FEDERATION_PORT, resolveServerName, splitHostPort, type DiscoveryLookups, type ResolvedServer, type SrvTarget } from './server-discovery.ts';
export { FEDERATION_OUTBOUND_KIND, federationOutboundActor, ProxiedFederationClient } from './outbound-proxy.ts';
