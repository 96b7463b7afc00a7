// The one error family of the HTTP layer: handlers throw MatrixError, the root error handler
// renders `{errcode, error, ...extra}` with the right status. Nothing else reaches a client.

export class MatrixError extends Error {
  override name = 'MatrixError';
  readonly errcode: string;
  readonly status: number;
  readonly extra: Readonly<Record<string, unknown>>;
  /** Extra response headers, e.g. Retry-After. */
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, errcode: string, message: string, options: { extra?: Record<string, unknown>; headers?: Record<string, string> } = {}) {
    super(message);
    this.status = status;
    this.errcode = errcode;
    this.extra = options.extra ?? {};
    this.headers = options.headers ?? {};
  }

  toJSON(): Record<string, unknown> {
    return { errcode: this.errcode, error: this.message, ...this.extra };
  }
}

export const forbidden = (message: string) => new MatrixError(403, 'M_FORBIDDEN', message);
export const notFound = (message: string) => new MatrixError(404, 'M_NOT_FOUND', message);
export const badJson = (message: string) => new MatrixError(400, 'M_BAD_JSON', message);
export const notJson = (message: string) => new MatrixError(400, 'M_NOT_JSON', message);
export const missingParam = (message: string) => new MatrixError(400, 'M_MISSING_PARAM', message);
export const invalidParam = (message: string) => new MatrixError(400, 'M_INVALID_PARAM', message);
export const unrecognized = (message: string, status = 404) => new MatrixError(status, 'M_UNRECOGNIZED', message);
export const missingToken = () => new MatrixError(401, 'M_MISSING_TOKEN', 'Missing access token');
export const unknownToken = (message = 'Unrecognised access token', softLogout = false) =>
  new MatrixError(401, 'M_UNKNOWN_TOKEN', message, { extra: { soft_logout: softLogout } });
export const tooLarge = (message: string) => new MatrixError(413, 'M_TOO_LARGE', message);
export const unknown = (message: string, status = 400) => new MatrixError(status, 'M_UNKNOWN', message);

export function limitExceeded(retryAfterMs: number): MatrixError {
  const ms = Math.max(1, Math.ceil(retryAfterMs));
  return new MatrixError(429, 'M_LIMIT_EXCEEDED', 'Too many requests', {
    extra: { retry_after_ms: ms },
    headers: { 'retry-after': String(Math.ceil(ms / 1000)) },
  });
}

/**
 * A part of the server this request needs is down or cut off for now (a room's owning process,
 * the replication transport): 503 with Retry-After, so clients back off and retry instead of
 * treating it as a failure of their request. The errcode is M_UNKNOWN because the spec defines
 * no "unavailable" code and clients treat unknown codes as M_UNKNOWN anyway; the status and
 * Retry-After carry the meaning (Synapse likewise answers M_UNKNOWN with a 5xx when a worker
 * cannot reach another process).
 */
export function serviceUnavailable(message: string, retryAfterMs: number): MatrixError {
  const ms = Math.max(1, Math.ceil(retryAfterMs));
  return new MatrixError(503, 'M_UNKNOWN', message, {
    extra: { retry_after_ms: ms },
    headers: { 'retry-after': String(Math.ceil(ms / 1000)) },
  });
}

/**
 * What lower layers (actors, transport) mark their temporary failures with, so the edge can
 * answer 503 without importing them: a `temporarilyUnavailable` property that is true.
 */
export function isTemporarilyUnavailable(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { temporarilyUnavailable?: unknown }).temporarilyUnavailable === true;
}
