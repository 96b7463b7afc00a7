// Access-token authentication for client routes: finds the token (Authorization header or the
// legacy `access_token` query parameter), asks the injected resolver who owns it and remembers
// the answer on the request, so the server-wide hook (route-auth.ts), a route's preHandler and
// a handler's own call share one lookup. What a requester is belongs to @homeserver/services.
import type { FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { MatrixError, missingToken, unknownToken } from './matrix-error.ts';

/** What a token resolver answers. `expired` tokens get `soft_logout: true` so clients refresh. */
export type TokenResolution<R> =
  | { readonly kind: 'ok'; readonly requester: R }
  | { readonly kind: 'unknown' }
  | { readonly kind: 'expired' };

export type TokenResolver<R> = (token: string, request: FastifyRequest) => Promise<TokenResolution<R>>;

export interface RequireAuthOptions {
  /** Let requests without a token through (with no requester). Default: false. */
  readonly optional?: boolean;
}

// The outcome of authenticating a request: a requester, or none because it sent no token.
// Invalid tokens are never remembered: they end the request with a 401.
const outcomes = new WeakMap<FastifyRequest, { readonly requester: unknown }>();

/** The access token of a request, or undefined when it has none. Throws on a malformed header. */
export function accessTokenOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (match === null) {
      throw new MatrixError(401, 'M_MISSING_TOKEN', 'Authorization header is not of the form "Bearer <token>"');
    }
    return match[1];
  }
  const query = request.query as Record<string, unknown> | undefined;
  const fromQuery = query?.['access_token'];
  if (typeof fromQuery === 'string' && fromQuery !== '') return fromQuery;
  return undefined;
}

/**
 * The requester of a request: resolved once per request (later calls reuse the answer), a
 * thrown 401 MatrixError for an unknown or expired token, and for a request without a token
 * either a thrown M_MISSING_TOKEN or, with `optional`, undefined.
 */
export async function authenticateRequest<R>(request: FastifyRequest, resolveToken: TokenResolver<R>, options: RequireAuthOptions = {}): Promise<R | undefined> {
  let outcome = outcomes.get(request);
  if (outcome === undefined) {
    const token = accessTokenOf(request);
    if (token === undefined) {
      outcome = { requester: undefined };
    } else {
      const resolution = await resolveToken(token, request);
      if (resolution.kind === 'expired') throw unknownToken('Access token has expired', true);
      if (resolution.kind === 'unknown') throw unknownToken();
      outcome = { requester: resolution.requester };
    }
    outcomes.set(request, outcome);
  }
  if (outcome.requester === undefined && options.optional !== true) throw missingToken();
  return outcome.requester as R | undefined;
}

/** The requester an earlier authentication of this request found, or undefined. */
export function authenticatedRequester<R>(request: FastifyRequest): R | undefined {
  return outcomes.get(request)?.requester as R | undefined;
}

/** A preHandler authenticating the request (read the requester with authenticatedRequester). */
export function requireAuth<R>(resolveToken: TokenResolver<R>, options: RequireAuthOptions = {}): preHandlerAsyncHookHandler {
  return async function authenticate(request) {
    await authenticateRequest(request, resolveToken, options);
  };
}
