// Authentication before validation: one onRequest hook per server that, for each route the
// route table marks `required` or `optional`, resolves the access token before Fastify parses
// and validates the body, so a request with a bad token and a bad body gets Synapse's 401
// (M_MISSING_TOKEN / M_UNKNOWN_TOKEN), not a 400. The requester is remembered on the request;
// handlers reading it (authenticateRequest) get it without a second lookup.
import type { FastifyInstance } from 'fastify';
import { authenticateRequest, type TokenResolver } from './auth.ts';
import { routeEntryOfRoute, type RouteLookupOptions } from './route-match.ts';
import type { RouteAuth } from './route-table.ts';

export interface RouteAuthOptions<R> extends RouteLookupOptions {
  readonly resolveToken: TokenResolver<R>;
}

/** Installs the hook; call before any route is registered (routes are looked up as they are added). */
export function installRouteAuth<R>(app: FastifyInstance, options: RouteAuthOptions<R>): void {
  const authOf = new Map<string, RouteAuth>();
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      // Routes the table does not list (or lists twice) authenticate in their handlers only;
      // the route table test makes that a failure.
      const entry = routeEntryOfRoute(method, route.url, options);
      if (entry !== undefined && entry.auth !== 'none') authOf.set(`${method} ${route.url}`, entry.auth);
    }
  });
  app.addHook('onRequest', async (request) => {
    const url = request.routeOptions.url;
    if (url === undefined) return;
    const auth = authOf.get(`${request.method} ${url}`);
    if (auth === undefined) return;
    await authenticateRequest(request, options.resolveToken, { optional: auth === 'optional' });
  });
}
