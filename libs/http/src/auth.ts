// Access-token authentication for client routes: a preHandler that finds the token (Authorization
// header or the legacy `access_token` query parameter), asks the injected resolver who owns it and
// attaches the result as `request.requester`. What a requester is belongs to @homeserver/services.
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

/** A preHandler requiring a valid access token; sets `request.requester`. */
export function requireAuth<R>(resolveToken: TokenResolver<R>, options: RequireAuthOptions = {}): preHandlerAsyncHookHandler {
  return async function authenticate(request) {
    const token = accessTokenOf(request);
    if (token === undefined) {
      if (options.optional === true) return;
      throw missingToken();
    }
    const resolution = await resolveToken(token, request);
    if (resolution.kind === 'expired') throw unknownToken('Access token has expired', true);
    if (resolution.kind === 'unknown') throw unknownToken();
    (request as unknown as { requester: R }).requester = resolution.requester;
  };
}
