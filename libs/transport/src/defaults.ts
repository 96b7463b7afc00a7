// Defaults every adapter shares, so the monolith and the workers behave alike.

/** NATS's default max_payload: code tested in the monolith then fits a default NATS server. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 1024 * 1024;

/** How long request() waits for a reply unless told otherwise (documented on RequestOptions). */
export const DEFAULT_TIMEOUT_MS = 5000;

/** Subject namespace of the network adapters, so one server can host several deployments. */
export const DEFAULT_PREFIX = 'hs';
