// Resolving a server name to where its federation API answers (server-server API, "Resolving
// server names"): IP literal, explicit port, /.well-known/matrix/server delegation, SRV
// `_matrix-fed._tcp` then the deprecated `_matrix._tcp`, else port 8448. The result says which
// host to connect to, which name the TLS certificate must carry, and the Host header to send.
import { isIP } from 'node:net';

export const DEFAULT_FEDERATION_PORT = 8448;

export interface ResolvedServer {
  /** Hostname or IP literal to resolve and connect to. */
  readonly host: string;
  readonly port: number;
  /** The Host header (the server name, or the delegated name). */
  readonly hostHeader: string;
  /** The name the certificate must be valid for (an IP literal when connecting by IP). */
  readonly tlsName: string;
}

export interface SrvTarget {
  readonly name: string;
  readonly port: number;
  readonly priority: number;
  readonly weight: number;
}

export interface DiscoveryLookups {
  /** The `m.server` value of https://<hostname>/.well-known/matrix/server, or undefined when there is none usable. */
  wellKnown(hostname: string): Promise<string | undefined>;
  /** SRV records of `name`; [] when there are none. */
  srv(name: string): Promise<readonly SrvTarget[]>;
}

/** Splits `host[:port]` (IPv6 literals in brackets); undefined when it is not of that shape. */
export function splitHostPort(name: string): { host: string; port: number | undefined } | undefined {
  const match = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(name);
  if (match === null) return undefined;
  const port = match[2] === undefined ? undefined : Number(match[2]);
  if (port !== undefined && (port < 1 || port > 65535)) return undefined;
  return { host: match[1]!, port };
}

function isIpLiteral(host: string): boolean {
  return isIP(host.replace(/^\[|\]$/g, '')) !== 0;
}

function bare(host: string): string {
  return host.replace(/^\[|\]$/g, '');
}

/** Picks the SRV record to use: lowest priority, then highest weight. */
function firstSrv(records: readonly SrvTarget[]): SrvTarget | undefined {
  return [...records].sort((a, b) => a.priority - b.priority || b.weight - a.weight)[0];
}

async function bySrv(hostname: string, lookups: DiscoveryLookups): Promise<ResolvedServer | undefined> {
  for (const service of ['_matrix-fed._tcp', '_matrix._tcp']) {
    const target = firstSrv(await lookups.srv(`${service}.${hostname}`).catch(() => []));
    if (target !== undefined && target.name !== '.') {
      return { host: target.name.replace(/\.$/, ''), port: target.port, hostHeader: hostname, tlsName: hostname };
    }
  }
  return undefined;
}

/** Steps 1-2 and 4-6 of the spec for one name (the server name or its delegated name). */
function withoutWellKnown(name: string): ResolvedServer | undefined {
  const split = splitHostPort(name);
  if (split === undefined) return undefined;
  if (isIpLiteral(split.host)) return { host: bare(split.host), port: split.port ?? DEFAULT_FEDERATION_PORT, hostHeader: name, tlsName: bare(split.host) };
  if (split.port !== undefined) return { host: split.host, port: split.port, hostHeader: name, tlsName: split.host };
  return undefined;
}

/**
 * Where to reach `serverName`. Throws when the name is not `host[:port]` or its delegation is
 * malformed; never throws for a missing well-known or SRV record.
 */
export async function resolveServerName(serverName: string, lookups: DiscoveryLookups): Promise<ResolvedServer> {
  const split = splitHostPort(serverName);
  if (split === undefined) throw new Error(`${JSON.stringify(serverName)} is not a server name`);
  const direct = withoutWellKnown(serverName);
  if (direct !== undefined) return direct;
  const delegated = await lookups.wellKnown(split.host).catch(() => undefined);
  if (delegated !== undefined) {
    const target = splitHostPort(delegated);
    if (target !== undefined) {
      const resolved = withoutWellKnown(delegated) ?? (await bySrv(target.host, lookups));
      return resolved ?? { host: target.host, port: DEFAULT_FEDERATION_PORT, hostHeader: target.host, tlsName: target.host };
    }
  }
  return (await bySrv(split.host, lookups)) ?? { host: split.host, port: DEFAULT_FEDERATION_PORT, hostHeader: split.host, tlsName: split.host };
}
