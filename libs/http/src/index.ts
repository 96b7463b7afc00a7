// Public entry of @homeserver/http: the HTTP plumbing shared by every process. Fastify is
// loaded only by createServer, in a process whose roles serve routes.
import type { FastifyInstance } from 'fastify';
import type { CreateServerOptions } from './create-server.ts';

export type { CreateServerOptions } from './create-server.ts';
export type { HealthServer, HealthServerOptions } from './health-server.ts';
export { createHealthServer } from './health-server.ts';

/** The Fastify instance of a listener serving routes (create-server.ts, imported by the first call). */
export async function createServer(options: CreateServerOptions): Promise<FastifyInstance> {
  return (await import('./create-server.ts')).createServer(options);
}
export {
  MatrixError,
  badJson,
  forbidden,
  invalidParam,
  isTemporarilyUnavailable,
  limitExceeded,
  missingParam,
  missingToken,
  notFound,
  notJson,
  serviceUnavailable,
  tooLarge,
  unknown,
  unknownToken,
  unrecognized,
} from './matrix-error.ts';
export type { BoundAddress, Listenable, ListeningAddresses } from './listen-on-addresses.ts';
export { listenOnAddresses } from './listen-on-addresses.ts';
export type { ListenOnAddressesOptions } from './listen-on-addresses.ts';
export { MAX_CLIENT_JSON_DEPTH, MAX_FEDERATION_JSON_DEPTH } from './json-body.ts';
export type { LabelValues } from './prometheus.ts';
export { Counter, Gauge, Histogram, Registry } from './prometheus.ts';
export type { ProcessMetrics } from './metrics.ts';
export { createProcessMetrics } from './metrics.ts';
export type { CacheStats } from './cache-metrics.ts';
export { CacheMetrics } from './cache-metrics.ts';
export type { ActorKindSnapshot, DbPoolSnapshot, MetricsSources, StreamReaderSnapshot, StreamWriterSnapshot } from './metrics-sources.ts';
export { registerMetricsSources } from './metrics-sources.ts';
export type { RequireAuthOptions, TokenResolution, TokenResolver } from './auth.ts';
export { accessTokenOf, authenticateRequest, authenticatedRequester, requireAuth } from './auth.ts';
export type { RouteAuthOptions } from './route-auth.ts';
export { installRouteAuth } from './route-auth.ts';
export type { RouteAffinity, RouteAuth, RouteEntry, RouteResource, RouteRole } from './route-table.ts';
export { ROUTE_TABLE } from './route-table.ts';
export type { RegisteredRoute, RouteLookupOptions } from './route-match.ts';
export { routeEntriesFor, routeEntryFor, routeEntryOfRoute, routeTableProblems, samplePath } from './route-match.ts';
export type { ClientPathsOptions } from './client-paths.ts';
export { clientPaths } from './client-paths.ts';
export type { RateLimitCheckOptions, RateLimiterOptions, RateLimitSettings } from './rate-limiter.ts';
export { RateLimiter } from './rate-limiter.ts';
