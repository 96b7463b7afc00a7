// Builds the process's Federation from its config, database and signing key: the outbound
// client (discovery, TLS, IP and domain policy), the key store and the inbound X-Matrix check.
import { readFileSync } from 'node:fs';
import type { ActorSystem } from '@homeserver/actors';
import type { HomeserverConfig } from '@homeserver/config';
import type { CacheStats } from '@homeserver/http';
import type { SigningKey } from '@homeserver/matrix';
import type { Database } from '@homeserver/storage';
import type { Logger } from 'pino';
import { HttpFederationClient } from './federation-client.ts';
import type { Federation, FederationTransport } from './federation.ts';
import { federationOutboundActor, ProxiedFederationClient } from './outbound-proxy.ts';
import { xMatrixAuth } from './inbound-auth.ts';
import { IpPolicy } from './ip-policy.ts';
import { RemoteKeyStore } from './remote-key-store.ts';
import type { DiscoveryLookups } from './server-discovery.ts';

export interface FederationDeps {
  readonly config: HomeserverConfig;
  readonly db: Database;
  readonly signingKey: SigningKey;
  readonly logger: Logger;
  readonly now?: () => number;
  /**
   * The process's actor system: with outbound_federation_restricted_to, the named instances host
   * the outbound actor on it and every other process sends through them. Default: none (then
   * this process connects to other servers itself).
   */
  readonly actors?: ActorSystem;
  /** Discovery lookups to use instead of DNS and HTTPS well-known (tests). Default: the real ones. */
  readonly lookups?: Partial<DiscoveryLookups>;
}

export interface FederationCore extends Federation {
  /** Connects to other servers itself, or through the outbound_federation_restricted_to instances. */
  readonly client: FederationTransport;
  readonly keys: RemoteKeyStore;
  /** Closes kept-alive outbound connections. */
  close(): void;
  /** The in-memory caches' sizes and bounds, by the name /metrics shows them under. */
  readonly cacheStats: Readonly<Record<string, () => CacheStats>>;
}

export function createFederation(deps: FederationDeps): FederationCore {
  const serverName = deps.config.serverName;
  const settings = deps.config.federation;
  const whitelist = settings.domainWhitelist === undefined ? undefined : new Set(settings.domainWhitelist);
  const allows = (server: string) => server !== serverName && (whitelist === undefined || whitelist.has(server));
  const ca = settings.customCaList?.map((path) => {
    try {
      return readFileSync(path, 'utf8');
    } catch (error) {
      throw new Error(`cannot read federation_custom_ca_list entry ${path}: ${(error as Error).message}`, { cause: error });
    }
  });
  const client = new HttpFederationClient({
    serverName,
    signingKey: deps.signingKey,
    logger: deps.logger,
    ipPolicy: new IpPolicy({ blacklist: settings.ipRangeBlacklist, whitelist: settings.ipRangeWhitelist }),
    allows,
    verifyCertificates: settings.verifyCertificates,
    ...(ca !== undefined ? { ca } : {}),
    ...(deps.lookups !== undefined ? { lookups: deps.lookups } : {}),
  });
  const outbound = outboundClient(deps, client);
  const keys = new RemoteKeyStore({
    serverName,
    signingKey: deps.signingKey,
    config: settings,
    db: deps.db,
    logger: deps.logger,
    transport: outbound,
    ...(deps.now !== undefined ? { now: deps.now } : {}),
  });
  const auth = xMatrixAuth({ serverName, lookupKey: keys.lookupKey, allows, ...(deps.now !== undefined ? { now: deps.now } : {}) });
  return { client: outbound, keys, auth, allows, close: () => client.close(), cacheStats: { ...client.cacheStats, ...keys.cacheStats } };
}

/** The client the process sends with: its own, or a proxy to the instances allowed to connect. */
function outboundClient(deps: FederationDeps, client: HttpFederationClient): FederationTransport {
  const restrictedTo = deps.config.federation.outboundRestrictedTo;
  if (restrictedTo === undefined || deps.actors === undefined) return client;
  const definition = federationOutboundActor(client);
  if (restrictedTo.includes(deps.config.workerName)) {
    deps.actors.host(definition);
    return client;
  }
  return new ProxiedFederationClient(deps.actors, definition);
}
