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
  // Callback hooks: no promise per request for what is synchronous work.
  app.addHook('onSend', (_request, reply, payload, done) => {
    reply.headers(CORS_HEADERS);
    done(null, payload);
  });
  app.addHook('onRequest', (request, reply, done) => {
    // A hook that answers does not call done: Fastify stops the request there.
    if (request.method === 'OPTIONS') void reply.code(200).headers(CORS_HEADERS).send({});
    else done();
  });
}
