// Registering an admin endpoint: every handler runs only for a server admin (401 without a
// token, 403 M_FORBIDDEN otherwise) and gets that admin; each action that changes something is
// logged at info with the admin's user ID and the target (never a token or a password).
import { MatrixError, invalidParam } from '@homeserver/http';
import { isValidUserId } from '@homeserver/matrix';
import { requireServerAdmin, type AccessTokenAuth, type Requester } from '@homeserver/services';
import type { FastifyInstance, FastifyRequest, FastifySchema, HTTPMethods } from 'fastify';

export interface AdminRouteTypes {
  Params?: unknown;
  Querystring?: unknown;
  Body?: unknown;
}

export type AdminHandler<T extends AdminRouteTypes> = (
  request: FastifyRequest<{ Params: T['Params']; Querystring: T['Querystring']; Body: T['Body'] }>,
  admin: Requester,
) => Promise<unknown>;

/** Adds one admin route; `status` replaces 200 when the handler returns `{ status, body }` via AdminReply. */
export function adminRoute<T extends AdminRouteTypes>(app: FastifyInstance, auth: AccessTokenAuth, method: HTTPMethods, url: string, schema: FastifySchema, handler: AdminHandler<T>): void {
  app.route<{ Params: T['Params']; Querystring: T['Querystring']; Body: T['Body'] }>({
    method,
    url,
    schema,
    // The admin check runs before validation, so a non-admin learns nothing from a 400.
    onRequest: async (request) => {
      await requireServerAdmin(auth, request);
    },
    handler: async (request, reply) => {
      const admin = await requireServerAdmin(auth, request);
      const result = await handler(request, admin);
      if (result instanceof AdminReply) return reply.status(result.status).send(result.body);
      return result;
    },
  });
}

/** A response with a status other than 200 (PUT /v2/users answers 201 on creation). */
export class AdminReply {
  readonly status: number;
  readonly body: unknown;
  constructor(status: number, body: unknown) {
    this.status = status;
    this.body = body;
  }
}

/** Logs an admin action at info: who did it, what, to what. */
export function logAdminAction(request: FastifyRequest, admin: Requester, action: string, target: Record<string, unknown>): void {
  request.log.info({ admin: admin.userId, admin_action: action, ...target }, `admin ${admin.userId}: ${action}`);
}

/** A user ID from a path: valid grammar (400 M_INVALID_PARAM) and of this server (400, as Synapse). */
export function localUserParam(value: string, serverName: string): string {
  if (!isValidUserId(value)) throw invalidParam(`user ID ${JSON.stringify(value)} is not a valid user ID`);
  if (value.slice(value.indexOf(':') + 1) !== serverName) throw new MatrixError(400, 'M_UNKNOWN', `only local users can be managed here; ${value} is not of ${serverName}`);
  return value;
}

// Query strings arrive as text (the server does not coerce types): integers and booleans are
// checked by pattern in the schema, then read with intQuery / boolQuery.
export const INT_QUERY = { type: 'string', pattern: '^[0-9]{1,15}$' } as const;
export const BOOL_QUERY = { type: 'string', enum: ['true', 'false'] } as const;

/** Synapse's paging parameters, `from` and `limit`, as non-negative integers. */
export const pagingQuery = { from: INT_QUERY, limit: INT_QUERY } as const;

export function intQuery(value: string | undefined, fallback: number): number {
  return value === undefined ? fallback : Number(value);
}

export function boolQuery(value: string | undefined): boolean | undefined {
  return value === undefined ? undefined : value === 'true';
}
