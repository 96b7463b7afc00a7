// POST /_synapse/admin/v1/send_server_notice (and PUT .../{txnId}, idempotent per admin device
// and transaction): sends a notice to a local user through ServerNotices. 400 when the server
// has no server_notices section, as Synapse.
import { invalidParam, MatrixError } from '@homeserver/http';
import { isJsonObject, isValidUserId, type JsonObject } from '@homeserver/matrix';
import type { FastifyInstance } from 'fastify';
import type { AdminDeps } from './admin-deps.ts';
import { adminRoute, logAdminAction } from './admin-route.ts';
import type { ServerNotices } from './server-notices.ts';

interface NoticeBody {
  user_id: string;
  content: JsonObject;
  type?: string;
  state_key?: string;
}

const noticeBody = {
  type: 'object',
  required: ['user_id', 'content'],
  properties: { user_id: { type: 'string' }, content: { type: 'object' }, type: { type: 'string', minLength: 1 }, state_key: { type: 'string' } },
} as const;

export function registerServerNoticeRoutes(app: FastifyInstance, deps: AdminDeps, notices: ServerNotices | undefined): void {
  const routes = [
    { method: 'POST', url: '/_synapse/admin/v1/send_server_notice', params: undefined },
    { method: 'PUT', url: '/_synapse/admin/v1/send_server_notice/:txnId', params: { type: 'object', required: ['txnId'], properties: { txnId: { type: 'string', minLength: 1 } } } },
  ] as const;
  for (const route of routes) {
    adminRoute<{ Params: { txnId?: string }; Body: NoticeBody }>(app, deps.auth, route.method, route.url, { body: noticeBody, ...(route.params ? { params: route.params } : {}) }, async (request, admin) => {
      if (!notices) throw new MatrixError(400, 'M_UNKNOWN', 'Server notices are not enabled on this server (no server_notices section in the config)');
      const body = request.body;
      if (!isValidUserId(body.user_id)) throw invalidParam(`user_id ${JSON.stringify(body.user_id)} is not a valid user ID`);
      if (!body.user_id.endsWith(`:${deps.serverName}`)) throw new MatrixError(400, 'M_UNKNOWN', `Server notices can only be sent to local users; ${body.user_id} is not of ${deps.serverName}`);
      if (!isJsonObject(body.content)) throw invalidParam('content must be a JSON object');
      const txnId = request.params.txnId;
      logAdminAction(request, admin, 'send server notice', { user_id: body.user_id, type: body.type ?? 'm.room.message', ...(txnId === undefined ? {} : { txn_id: txnId }) });
      const eventId = await notices.send({
        userId: body.user_id,
        type: body.type ?? 'm.room.message',
        ...(body.state_key === undefined ? {} : { stateKey: body.state_key }),
        content: body.content,
        ...(txnId === undefined ? {} : { txn: { deviceId: admin.deviceId, txnId } }),
      });
      return { event_id: eventId };
    });
  }
}
