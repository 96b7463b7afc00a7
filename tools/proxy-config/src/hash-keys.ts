// What a hashed upstream hashes on, in TypeScript, mirroring the nginx maps and haproxy
// variables the renderers print from the same regex pieces:
// - access-token: the user's localpart when the token is Synapse-shaped (`syt_<localpart>_...`,
//   as Synapse's worker docs do; this server mints the same shape), else the whole token; from a
//   Bearer Authorization header, else the `access_token` query parameter.
// - origin: the `origin` of an X-Matrix Authorization header, else the client address.
import type { RouteAffinity } from '@homeserver/http';

// Each piece is case-sensitive but where it says otherwise inline, so JavaScript, nginx (PCRE)
// and haproxy (PCRE2) read it the same way without flags.
/** Start of a Bearer Authorization header. */
export const BEARER_PREFIX = '^(?i:bearer) +';
/** The token after BEARER_PREFIX. */
export const TOKEN = '([^ ]+)';
/** A Synapse-shaped token's localpart, at the start of the token. */
export const SYNAPSE_LOCALPART = 'syt_([^_]+)_';
/** An X-Matrix Authorization header's origin. */
export const X_MATRIX_ORIGIN = '^(?i:x-matrix) +(?:.*,)?origin="?([^",]+)';

export interface ProxiedRequest {
  /** Decoded path without the query string, as the proxy matches it. */
  readonly path: string;
  readonly authorization?: string;
  /** The `access_token` query parameter. */
  readonly accessTokenParam?: string;
  /** The client's address. Default: ''. */
  readonly remoteAddress?: string;
}

export function hashKeyOf(affinity: RouteAffinity, request: ProxiedRequest): string {
  if (affinity === 'origin') {
    const origin = new RegExp(X_MATRIX_ORIGIN).exec(request.authorization ?? '');
    return origin?.[1] ?? request.remoteAddress ?? '';
  }
  const bearer = new RegExp(BEARER_PREFIX + TOKEN).exec(request.authorization ?? '');
  const token = bearer?.[1] ?? request.accessTokenParam ?? '';
  return new RegExp(`^${SYNAPSE_LOCALPART}`).exec(token)?.[1] ?? token;
}
