// Outbound requests to other servers: X-Matrix signed, sent over HTTPS to where discovery says
// the server answers, only to servers federation_domain_whitelist allows and only to addresses
// the IP policy allows. The address is checked here and the socket pinned to it, so a second DNS
// answer cannot swap it; sockets are kept alive and reused per destination.
import { lookup as dnsLookup, resolveSrv } from 'node:dns/promises';
import { Agent, request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type { IncomingMessage } from 'node:http';
import { isJsonObject, signRequest, type JsonObject, type SigningKey } from '@homeserver/matrix';
import type { Logger } from 'pino';
import { FederationRequestError, type FederationClient, type FederationRequest } from './federation.ts';
import type { IpPolicy } from './ip-policy.ts';
import { resolveServerName, type DiscoveryLookups, type ResolvedServer, type SrvTarget } from './server-discovery.ts';

/** Largest response read (send_join answers of big rooms are large). */
const MAX_RESPONSE_BYTES = 256 * 1024 * 1024;
const MAX_WELL_KNOWN_BYTES = 50 * 1024;
const WELL_KNOWN_TTL_MS = 24 * 3_600_000;
const WELL_KNOWN_ERROR_TTL_MS = 3_600_000;
/** Servers whose .well-known answer is kept; past it the oldest is forgotten (and looked up again when needed). */
const WELL_KNOWN_ENTRIES = 10_000;
const MAX_REDIRECTS = 5;

export interface HttpFederationClientOptions {
  readonly serverName: string;
  readonly signingKey: SigningKey;
  readonly logger: Logger;
  readonly ipPolicy: IpPolicy;
  /** False for destinations federation_domain_whitelist leaves out. */
  readonly allows: (serverName: string) => boolean;
  /** Check certificates (federation_verify_certificates). Default: true. */
  readonly verifyCertificates?: boolean;
  /** PEM certificates trusted instead of the system CAs (federation_custom_ca_list). Default: system CAs. */
  readonly ca?: readonly string[];
  /** Port of `https://<name>/.well-known/matrix/server`. Default: 443 (tests serve it elsewhere). */
  readonly wellKnownPort?: number;
  /** DNS lookups for discovery; default: the system resolver and HTTPS well-known. */
  readonly lookups?: Partial<DiscoveryLookups>;
}

interface RawRequest {
  readonly target: ResolvedServer;
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: Buffer;
  readonly timeoutMs: number;
  readonly maxBytes: number;
}

interface RawResponse {
  readonly status: number;
  readonly headers: IncomingMessage['headers'];
  readonly body: Buffer;
}

/** Raised before any byte is sent: nothing reached the destination. */
class Unreachable extends Error {}

export class HttpFederationClient implements FederationClient {
  readonly #options: HttpFederationClientOptions;
  readonly #agent: Agent;
  readonly #wellKnown = new Map<string, { value: string | undefined; until: number }>();
  readonly #lookups: DiscoveryLookups;

  constructor(options: HttpFederationClientOptions) {
    this.#options = options;
    this.#agent = new Agent({
      keepAlive: true,
      maxSockets: 10,
      rejectUnauthorized: options.verifyCertificates ?? true,
      ...(options.ca !== undefined ? { ca: [...options.ca] } : {}),
    });
    this.#lookups = {
      wellKnown: options.lookups?.wellKnown ?? ((hostname) => this.#fetchWellKnown(hostname)),
      srv: options.lookups?.srv ?? (async (name): Promise<SrvTarget[]> => (await resolveSrv(name)).map((r) => ({ ...r }))),
    };
  }

  /** The .well-known cache's size and bound, by the name /metrics shows it under. */
  readonly cacheStats = { federation_well_known: () => ({ entries: this.#wellKnown.size, maxSize: WELL_KNOWN_ENTRIES }) };

  /** Sends a signed request; resolves with the 2xx JSON body. */
  request = <T = JsonObject>(request: FederationRequest): Promise<T> => this.#send(request, true) as Promise<T>;

  /** An unsigned GET (the key API needs no signature). */
  getUnsigned = <T = JsonObject>(destination: string, path: string, timeoutMs?: number): Promise<T> =>
    this.#send({ destination, method: 'GET', path, ...(timeoutMs !== undefined ? { timeoutMs } : {}) }, false) as Promise<T>;

  /** Closes idle kept-alive sockets (at shutdown). */
  close(): void {
    this.#agent.destroy();
  }

  async #send(request: FederationRequest, sign: boolean): Promise<unknown> {
    const { destination } = request;
    if (destination === this.#options.serverName) throw new FederationRequestError(destination, 0, 'refusing to send a federation request to ourselves');
    if (!this.#options.allows(destination)) {
      throw new FederationRequestError(destination, 0, 'federation with this server is not allowed by federation_domain_whitelist');
    }
    let target: ResolvedServer;
    try {
      target = await resolveServerName(destination, this.#lookups);
    } catch (error) {
      throw new FederationRequestError(destination, 0, `cannot resolve the server name: ${(error as Error).message}`);
    }
    const body = request.body === undefined ? undefined : Buffer.from(JSON.stringify(request.body));
    const headers: Record<string, string> = { host: target.hostHeader, 'user-agent': 'homeserver', accept: 'application/json' };
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(body.byteLength);
    }
    if (sign) {
      const fields = { method: request.method, uri: request.path, origin: this.#options.serverName, destination, ...(request.body !== undefined ? { content: request.body } : {}) };
      headers['authorization'] = signRequest(fields, this.#options.signingKey);
    }
    let response: RawResponse;
    try {
      response = await this.#raw({ target, method: request.method, path: request.path, headers, ...(body ? { body } : {}), timeoutMs: request.timeoutMs ?? 60_000, maxBytes: MAX_RESPONSE_BYTES });
    } catch (error) {
      throw new FederationRequestError(destination, 0, `${request.method} ${request.path} failed: ${(error as Error).message}`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(response.body.toString('utf8'));
    } catch {
      parsed = undefined;
    }
    if (response.status < 200 || response.status >= 300) {
      const errcode = isJsonObject(parsed as JsonObject) && typeof (parsed as JsonObject)['errcode'] === 'string' ? ((parsed as JsonObject)['errcode'] as string) : undefined;
      const message = isJsonObject(parsed as JsonObject) && typeof (parsed as JsonObject)['error'] === 'string' ? ((parsed as JsonObject)['error'] as string) : `answered ${response.status}`;
      throw new FederationRequestError(destination, response.status, `${request.method} ${request.path}: ${message}`, errcode, parsed);
    }
    if (parsed === undefined) throw new FederationRequestError(destination, response.status, `${request.method} ${request.path} answered a body that is not JSON`);
    return parsed;
  }

  /** The allowed addresses of `host`, in resolver order; throws Unreachable when none is left. */
  async #addresses(host: string): Promise<Array<{ address: string; family: number }>> {
    const found = isIP(host) ? [{ address: host, family: isIP(host) }] : await dnsLookup(host, { all: true }).catch((error: Error) => {
      throw new Unreachable(`cannot resolve ${host}: ${error.message}`);
    });
    const allowed = found.filter((a) => this.#options.ipPolicy.allows(a.address));
    if (allowed.length === 0) {
      throw new Unreachable(`every address of ${host} (${found.map((a) => a.address).join(', ') || 'none'}) is blocked by ip_range_blacklist`);
    }
    return allowed;
  }

  async #raw(request: RawRequest): Promise<RawResponse> {
    const addresses = await this.#addresses(request.target.host);
    let lastError: Error | undefined;
    for (const pinned of addresses) {
      try {
        return await this.#once(request, pinned);
      } catch (error) {
        lastError = error as Error;
        // Only a refused connection moves on to the next address; anything later may have been received.
        if ((error as NodeJS.ErrnoException).code !== 'ECONNREFUSED') break;
      }
    }
    throw lastError ?? new Unreachable('no address to connect to');
  }

  #once(request: RawRequest, pinned: { address: string; family: number }): Promise<RawResponse> {
    const pin: LookupFunction = (_host, options, callback) => {
      if ((options as { all?: boolean }).all) (callback as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [pinned]);
      else callback(null, pinned.address, pinned.family);
    };
    const tlsName = request.target.tlsName;
    return new Promise((resolve, reject) => {
      const req = httpsRequest({
        host: request.target.host,
        port: request.target.port,
        method: request.method,
        path: request.path,
        headers: request.headers,
        agent: this.#agent,
        lookup: pin,
        // The certificate is checked against servername (or, for an IP literal, which SNI cannot
        // carry, against host): the server name or its delegated name, never an SRV target.
        servername: isIP(tlsName) ? '' : tlsName,
        timeout: request.timeoutMs,
      });
      req.on('timeout', () => req.destroy(new Error(`no answer within ${request.timeoutMs} ms`)));
      req.on('error', reject);
      req.on('response', (response) => {
        const chunks: Buffer[] = [];
        let length = 0;
        response.on('data', (chunk: Buffer) => {
          length += chunk.length;
          if (length > request.maxBytes) {
            response.destroy(new Error(`the response is larger than ${request.maxBytes} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        response.on('error', reject);
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
      });
      req.end(request.body);
    });
  }

  /** `m.server` of https://hostname/.well-known/matrix/server, cached as the spec suggests. */
  async #fetchWellKnown(hostname: string): Promise<string | undefined> {
    const cached = this.#wellKnown.get(hostname);
    if (cached !== undefined && cached.until > Date.now()) return cached.value;
    let value: string | undefined;
    let ttl = WELL_KNOWN_ERROR_TTL_MS;
    try {
      let url = new URL(`https://${hostname}:${this.#options.wellKnownPort ?? 443}/.well-known/matrix/server`);
      for (let hop = 0; hop <= MAX_REDIRECTS; hop += 1) {
        const target: ResolvedServer = { host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || 443), hostHeader: url.host, tlsName: url.hostname.replace(/^\[|\]$/g, '') };
        const response = await this.#raw({ target, method: 'GET', path: url.pathname + url.search, headers: { host: url.host, 'user-agent': 'homeserver' }, timeoutMs: 10_000, maxBytes: MAX_WELL_KNOWN_BYTES });
        const location = response.headers.location;
        if (response.status >= 300 && response.status < 400 && location !== undefined) {
          url = new URL(location, url);
          if (url.protocol !== 'https:') break;
          continue;
        }
        if (response.status === 200) {
          const parsed = JSON.parse(response.body.toString('utf8')) as unknown;
          const server = isJsonObject(parsed as JsonObject) ? (parsed as JsonObject)['m.server'] : undefined;
          if (typeof server === 'string') {
            value = server;
            const maxAge = /max-age=(\d+)/.exec(String(response.headers['cache-control'] ?? ''));
            ttl = maxAge ? Math.min(Number(maxAge[1]) * 1000, 48 * 3_600_000) : WELL_KNOWN_TTL_MS;
          }
        }
        break;
      }
    } catch (error) {
      this.#options.logger.debug({ hostname, err: error }, 'no usable .well-known/matrix/server');
    }
    this.#wellKnown.delete(hostname);
    this.#wellKnown.set(hostname, { value, until: Date.now() + ttl });
    if (this.#wellKnown.size > WELL_KNOWN_ENTRIES) this.#wellKnown.delete(this.#wellKnown.keys().next().value!);
    return value;
  }
}
