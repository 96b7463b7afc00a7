// Account data (global and per room), room tags (the m.tag room account data) and filters.
import { MatrixError, badJson, clientPaths, forbidden, invalidParam, notFound } from '@homeserver/http';
import { isValidRoomId, isValidUserId } from '@homeserver/matrix';
import { InvalidFilterError, parseFilter, requesterOf } from '@homeserver/services';
import { getFilter, insertFilter } from '@homeserver/storage';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AccountsDeps } from '../accounts/accounts-deps.ts';

/** Types the server manages itself; clients may not set them directly (as in Synapse). */
const SERVER_MANAGED = new Set(['m.fully_read', 'm.push_rules']);

function ownUser(request: FastifyRequest, userId: string, action: string): void {
  if (!isValidUserId(userId)) throw invalidParam(`cannot use user ID ${JSON.stringify(userId)}: it is not a valid user ID`);
  if (requesterOf(request).userId !== userId) throw forbidden(`cannot ${action} for another user (${userId})`);
}

function roomParam(roomId: string): string {
  if (!isValidRoomId(roomId)) throw invalidParam(`cannot use room ID ${JSON.stringify(roomId)}: it is not a valid room ID`);
  return roomId;
}

const anyObject = { type: 'object' } as const;

export function registerAccountDataRoutes(app: FastifyInstance, deps: AccountsDeps): void {
  const { db, accountData, settings } = deps;
  const authed = deps.auth.preHandler();

  for (const url of clientPaths('/user/:userId/account_data/:type')) {
    app.get<{ Params: { userId: string; type: string } }>(url, { preHandler: authed }, async (request) => {
      ownUser(request, request.params.userId, 'read account data');
      const content = await accountData.get(request.params.userId, '', request.params.type);
      if (content === undefined) throw notFound(`no account data of type ${JSON.stringify(request.params.type)}`);
      return content;
    });
    app.put<{ Params: { userId: string; type: string }; Body: Record<string, unknown> }>(url, { preHandler: authed, schema: { body: anyObject } }, async (request) => {
      ownUser(request, request.params.userId, 'set account data');
      if (SERVER_MANAGED.has(request.params.type)) throw badJson(`cannot set ${request.params.type} through this API`);
      await accountData.set(request.params.userId, '', request.params.type, request.body);
      return {};
    });
  }

  for (const url of clientPaths('/user/:userId/rooms/:roomId/account_data/:type')) {
    app.get<{ Params: { userId: string; roomId: string; type: string } }>(url, { preHandler: authed }, async (request) => {
      ownUser(request, request.params.userId, 'read account data');
      const content = await accountData.get(request.params.userId, roomParam(request.params.roomId), request.params.type);
      if (content === undefined) throw notFound(`no account data of type ${JSON.stringify(request.params.type)} in this room`);
      return content;
    });
    app.put<{ Params: { userId: string; roomId: string; type: string }; Body: Record<string, unknown> }>(
      url,
      { preHandler: authed, schema: { body: anyObject } },
      async (request) => {
        ownUser(request, request.params.userId, 'set account data');
        const roomId = roomParam(request.params.roomId);
        if (SERVER_MANAGED.has(request.params.type)) throw badJson(`cannot set ${request.params.type} through this API`);
        await accountData.set(request.params.userId, roomId, request.params.type, request.body);
        return {};
      },
    );
  }

  for (const url of clientPaths('/user/:userId/rooms/:roomId/tags')) {
    app.get<{ Params: { userId: string; roomId: string } }>(url, { preHandler: authed }, async (request) => {
      ownUser(request, request.params.userId, 'read tags');
      const content = await accountData.get(request.params.userId, roomParam(request.params.roomId), 'm.tag');
      return { tags: (content?.['tags'] as Record<string, unknown> | undefined) ?? {} };
    });
  }

  for (const url of clientPaths('/user/:userId/rooms/:roomId/tags/:tag')) {
    app.put<{ Params: { userId: string; roomId: string; tag: string }; Body: { order?: number } }>(
      url,
      { preHandler: authed, schema: { body: { type: 'object', properties: { order: { type: 'number', minimum: 0, maximum: 1 } } } } },
      async (request) => {
        ownUser(request, request.params.userId, 'set tags');
        const roomId = roomParam(request.params.roomId);
        if (request.params.tag.length > 255) throw invalidParam('tag names are at most 255 characters');
        const current = await accountData.get(request.params.userId, roomId, 'm.tag');
        const tags = { ...((current?.['tags'] as Record<string, unknown> | undefined) ?? {}), [request.params.tag]: request.body };
        await accountData.set(request.params.userId, roomId, 'm.tag', { tags });
        return {};
      },
    );
    app.delete<{ Params: { userId: string; roomId: string; tag: string } }>(url, { preHandler: authed }, async (request) => {
      ownUser(request, request.params.userId, 'delete tags');
      const roomId = roomParam(request.params.roomId);
      const current = await accountData.get(request.params.userId, roomId, 'm.tag');
      const tags = { ...((current?.['tags'] as Record<string, unknown> | undefined) ?? {}) };
      if (request.params.tag in tags) {
        delete tags[request.params.tag];
        await accountData.set(request.params.userId, roomId, 'm.tag', { tags });
      }
      return {};
    });
  }

  for (const url of clientPaths('/user/:userId/filter')) {
    app.post<{ Params: { userId: string }; Body: Record<string, unknown> }>(url, { preHandler: authed, schema: { body: anyObject } }, async (request) => {
      ownUser(request, request.params.userId, 'create a filter');
      if (!request.params.userId.endsWith(`:${settings.serverName}`)) throw forbidden('can only create filters for local users');
      try {
        parseFilter(request.body);
      } catch (error) {
        if (error instanceof InvalidFilterError) throw badJson(error.message);
        throw error;
      }
      const filterId = await db.transaction((tx) => insertFilter(tx, request.params.userId, request.body));
      return { filter_id: String(filterId) };
    });
  }

  for (const url of clientPaths('/user/:userId/filter/:filterId')) {
    app.get<{ Params: { userId: string; filterId: string } }>(url, { preHandler: authed }, async (request) => {
      ownUser(request, request.params.userId, 'read a filter');
      if (!/^\d{1,15}$/.test(request.params.filterId)) throw new MatrixError(404, 'M_NOT_FOUND', `no filter ${JSON.stringify(request.params.filterId)}`);
      const filter = await getFilter(db, request.params.userId, Number(request.params.filterId));
      if (filter === undefined) throw notFound(`no filter ${request.params.filterId}`);
      return filter;
    });
  }
}
