// Path and query parameters of media routes, checked before anything touches the store: a
// server name and media ID that could not be a real one (`../../etc/passwd`) are a 400, and
// another server's media is a clear 404 until this server fetches over federation.
import { MatrixError, invalidParam, notFound } from '@homeserver/http';
import type { FastifyRequest } from 'fastify';
import { isValidMediaId, isValidServerName } from '../store/media-paths.ts';

export const mediaParamsSchema = {
  type: 'object',
  required: ['serverName', 'mediaId'],
  properties: { serverName: { type: 'string' }, mediaId: { type: 'string' }, fileName: { type: 'string' } },
} as const;

export interface MediaParams {
  readonly serverName: string;
  readonly mediaId: string;
  readonly fileName: string | undefined;
}

export function mediaParams(request: FastifyRequest): MediaParams {
  const p = request.params as Record<string, string | undefined>;
  const serverName = p['serverName'] ?? '';
  const mediaId = p['mediaId'] ?? '';
  if (!isValidServerName(serverName)) throw invalidParam(`server name ${JSON.stringify(serverName)} is not a valid server name`);
  if (!isValidMediaId(mediaId)) throw invalidParam(`media ID ${JSON.stringify(mediaId)} may only contain letters, digits, - and _`);
  return { serverName, mediaId, fileName: p['fileName'] };
}

/** Throws unless the media is this server's. */
export function requireLocal(params: MediaParams, ourName: string): void {
  if (params.serverName === ourName) return;
  throw notFound(`media mxc://${params.serverName}/${params.mediaId} is on another server, and this server does not fetch remote media over federation yet`);
}

/** Reads ?name=<integer> in [min, max]; `fallback` when absent. */
export function integerQuery(request: FastifyRequest, name: string, options: { min: number; max: number; fallback?: number }): number | undefined {
  const raw = (request.query as Record<string, unknown> | undefined)?.[name];
  if (raw === undefined) return options.fallback;
  if (typeof raw !== 'string' || !/^[0-9]{1,15}$/.test(raw)) throw invalidParam(`query parameter ${name} must be a non-negative integer, got ${JSON.stringify(raw)}`);
  const value = Number(raw);
  if (value < options.min || value > options.max) throw invalidParam(`query parameter ${name} must be between ${options.min} and ${options.max}, got ${value}`);
  return value;
}

export function booleanQuery(request: FastifyRequest, name: string, fallback: boolean): boolean {
  const raw = (request.query as Record<string, unknown> | undefined)?.[name];
  if (raw === undefined) return fallback;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw new MatrixError(400, 'M_INVALID_PARAM', `query parameter ${name} must be true or false, got ${JSON.stringify(raw)}`);
}
