// X-Matrix authentication of inbound federation requests, as a preValidation hook: after the
// body is parsed (the signature covers it) and before it is validated, so an unsigned request
// with a bad body is a 401, as an unauthenticated client request is. The proved origin is kept
// per request for the handlers; refusals are logged with their reason.
import { forbidden } from '@homeserver/http';
import { resetFederationRetry } from '@homeserver/storage';
import type { FastifyRequest, preValidationAsyncHookHandler } from 'fastify';
import type { FederationRouteDeps } from './federation-deps.ts';

const origins = new WeakMap<FastifyRequest, string>();

// A request an origin signed proves it is up: our backoff towards it ends (as Synapse does), so
// the federation sender retries it at its next scan instead of waiting out the interval. At most
// one write per origin a minute, whatever the request rate.
const ORIGIN_UP_EVERY_MS = 60_000;
const MAX_REMEMBERED_ORIGINS = 10_000;
const originsSeenUp = new WeakMap<FederationRouteDeps, Map<string, number>>();

function noteOriginUp(deps: FederationRouteDeps, origin: string): void {
  let seen = originsSeenUp.get(deps);
  if (seen === undefined) originsSeenUp.set(deps, (seen = new Map()));
  const now = deps.clock.now();
  if (now - (seen.get(origin) ?? -Infinity) < ORIGIN_UP_EVERY_MS) return;
  if (seen.size >= MAX_REMEMBERED_ORIGINS) seen.clear();
  seen.set(origin, now);
  resetFederationRetry(deps.db, origin).catch((error: unknown) => deps.logger.warn({ err: error, origin }, 'could not end the federation backoff of a server that contacted us'));
}

export function federationAuth(deps: FederationRouteDeps): preValidationAsyncHookHandler {
  const { federation } = deps;
  return async (request) => {
    let origin: string;
    try {
      origin = await federation.auth.authenticate({ method: request.method, uri: request.url, headers: request.headers, body: request.body });
      if (!federation.allows(origin)) throw forbidden(`federation with ${origin} is not allowed by federation_domain_whitelist`);
    } catch (error) {
      request.log.warn({ err: error, method: request.method, url: request.url }, 'refused an inbound federation request');
      throw error;
    }
    origins.set(request, origin);
    noteOriginUp(deps, origin);
  };
}

/** The server that signed `request` (the hook ran). */
export function originOf(request: FastifyRequest): string {
  const origin = origins.get(request);
  if (origin === undefined) throw new Error(`no X-Matrix origin recorded for ${request.method} ${request.url}: federationAuth did not run`);
  return origin;
}
