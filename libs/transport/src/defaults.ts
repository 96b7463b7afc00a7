// Defaults every adapter shares, so the monolith and the workers behave alike.
import type { TransportLogger } from './transport-logger.ts';

/** NATS's default max_payload: code tested in the monolith then fits a default NATS server. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 1024 * 1024;

/**
 * Largest reply a request may get, on every adapter: above one message's maxPayloadBytes (a
 * send_join answer carries a room's whole state), below Redis's default pub/sub output buffer
 * hard limit (32 MB), which would cut the connection of the subscriber it was sent to.
 */
export const MAX_REPLY_BYTES = 24 * 1024 * 1024;

/** How long request() waits for a reply unless told otherwise (documented on RequestOptions). */
export const DEFAULT_TIMEOUT_MS = 5000;

/** Subject namespace of the network adapters, so one server can host several deployments. */
export const DEFAULT_PREFIX = 'hs';

/** Options both network adapters (NATS and Redis) take. */
export interface NetworkTransportOptions {
  /** Connection name shown in the server's monitoring (CLIENT LIST, connz). Default: 'homeserver'. */
  readonly name?: string;
  /** Subject / channel and key namespace, so one server can carry several deployments. Default: 'hs'. */
  readonly prefix?: string;
  /** Reconnect backoff: first delay, doubled per failed attempt up to the maximum. Default: 100 and 5000 ms. */
  readonly reconnectDelayMs?: { readonly min: number; readonly max: number };
  /** Receives handler failures and connection trouble. Default: silent. */
  readonly logger?: TransportLogger;
}
