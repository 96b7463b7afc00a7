// CORS as the Client-Server spec requires: any origin, the usual methods and headers,
// and a 200 answer to every preflight, so web clients (Element) can talk to any endpoint.
import type { FastifyInstance } from 'fastify';

export const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, HEAD, POST, PUT, DELETE, OPTIONS',
  'access-control-allow-headers': 'X-Requested-With, Content-Type, Authorization, Date',
  'access-control-expose-headers': 'Synapse-Trace-Id, Server, ETag',
};

export function registerCors(app: FastifyInstance): void {
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.headers(CORS_HEADERS);
    return payload;
  });
  app.addHook('onRequest', async (request, reply) => {
    if (request.method === 'OPTIONS') {
      await reply.code(200).headers(CORS_HEADERS).send({});
    }
  });
}
