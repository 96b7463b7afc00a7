// Registers one Client-Server endpoint under every prefix it is served on (libs/http
// clientPaths) with its JSON schemas, so every bad input is a 4xx Matrix error.
import { clientPaths, type ClientPathsOptions } from '@homeserver/http';
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchema, HTTPMethods } from 'fastify';

export type Handler = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

/**
 * Registers under v3 and r0, and by default also under the legacy `api/v1` prefix, where
 * Synapse still serves most room endpoints; endpoints born later pass their own `paths`.
 */
export function clientRoute(app: FastifyInstance, method: HTTPMethods, path: string, options: { schema?: FastifySchema; paths?: ClientPathsOptions }, handler: Handler): void {
  for (const url of clientPaths(path, options.paths ?? { v1: true })) {
    app.route({ method, url, schema: options.schema, handler });
  }
}

/** Params/query/body of a request as plain records (their shape is guaranteed by the schema). */
export function params(request: FastifyRequest): Record<string, string> {
  return request.params as Record<string, string>;
}

export function query(request: FastifyRequest): Record<string, string | undefined> {
  return (request.query ?? {}) as Record<string, string | undefined>;
}

export function body<T = Record<string, unknown>>(request: FastifyRequest): T {
  return (request.body ?? {}) as T;
}

export const reasonBody = { type: 'object', properties: { reason: { type: 'string' } } } as const;
