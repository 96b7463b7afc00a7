// The server-server plumbing every federation role shares: signed requests to other servers
// (discovery, TLS, address and domain policy), the cache of other servers' signing keys, and the
// check of inbound X-Matrix requests. Roles get one `Federation` from the server context.
import type { JsonObject, VerifyKeyLookup } from '@homeserver/matrix';

export interface FederationRequest {
  /** The server name to talk to (resolved by well-known, SRV, IP literal, default port 8448). */
  readonly destination: string;
  readonly method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  /** Path and query string, already percent-encoded, e.g. `/_matrix/federation/v1/version`. It is signed as given. */
  readonly path: string;
  readonly body?: JsonObject;
  /** Default: 60 s. */
  readonly timeoutMs?: number;
}

/** A request to another server that did not answer 2xx. `status` 0: it was not reached (or not allowed). */
export class FederationRequestError extends Error {
  override name = 'FederationRequestError';
  readonly destination: string;
  readonly status: number;
  readonly errcode: string | undefined;
  readonly body: unknown;

  constructor(destination: string, status: number, message: string, errcode?: string, body?: unknown) {
    super(`${destination}: ${message}`);
    this.destination = destination;
    this.status = status;
    this.errcode = errcode;
    this.body = body;
  }
}

export interface FederationClient {
  /** Sends a request signed with X-Matrix; resolves with the parsed 2xx JSON body, else throws FederationRequestError. */
  request<T = JsonObject>(request: FederationRequest): Promise<T>;
}

/** A federation client that also makes the key API's unsigned GETs. */
export interface FederationTransport extends FederationClient {
  getUnsigned<T = JsonObject>(destination: string, path: string, timeoutMs?: number): Promise<T>;
}

export interface ServerKeyStore {
  /** Another server's verify key by ID, fetched directly or through notaries when not cached; our own keys too. */
  readonly lookupKey: VerifyKeyLookup;
  /** What the key API serves (absent in stand-ins built by tests; registerKeyRoutes needs it). */
  readonly notary?: KeyNotary;
}

/** The key API's answers: our keys, and other servers' keys countersigned by us. */
export interface KeyNotary {
  /** Our /_matrix/key/v2/server body: current and old keys, valid for key_refresh_interval. */
  ownKeys(): JsonObject;
  /**
   * `serverName`'s key responses (those listing one of `keyIds` when some are named), fetched
   * when missing or not valid until `minimumValidUntilTs` (when asked; else past half their
   * lifetime), each signed by us; [] when none is known.
   */
  query(serverName: string, minimumValidUntilTs: number | undefined, keyIds?: readonly string[]): Promise<JsonObject[]>;
}

export interface InboundRequest {
  readonly method: string;
  /** Path and query as received. */
  readonly uri: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The parsed JSON body, when there is one. */
  readonly body?: unknown;
}

export interface InboundRequestAuth {
  /**
   * Checks an inbound federation request's `Authorization: X-Matrix` header (destination is us,
   * key known, signature valid, origin allowed). Resolves to the origin server name; rejects
   * with a MatrixError 401 M_UNAUTHORIZED (or 403 M_FORBIDDEN for a server not allowed).
   */
  authenticate(request: InboundRequest): Promise<string>;
}

export interface Federation {
  readonly client: FederationClient;
  readonly keys: ServerKeyStore;
  readonly auth: InboundRequestAuth;
  /** False for servers `federation_domain_whitelist` leaves out (and for ourselves). */
  allows(serverName: string): boolean;
}
