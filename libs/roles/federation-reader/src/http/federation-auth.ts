// X-Matrix authentication of inbound federation requests, as a preValidation hook: after the
// body is parsed (the signature covers it) and before it is validated, so an unsigned request
// with a bad body is a 401, as an unauthenticated client request is. The proved origin is kept
// per request for the handlers; refusals are logged with their reason.
import type { Federation } from '@homeserver/federation';
import { forbidden } from '@homeserver/http';
import type { FastifyRequest, preValidationAsyncHookHandler } from 'fastify';

const origins = new WeakMap<FastifyRequest, string>();

export function federationAuth(federation: Federation): preValidationAsyncHookHandler {
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
  };
}

/** The server that signed `request` (the hook ran). */
export function originOf(request: FastifyRequest): string {
  const origin = origins.get(request);
  if (origin === undefined) throw new Error(`no X-Matrix origin recorded for ${request.method} ${request.url}: federationAuth did not run`);
  return origin;
}
