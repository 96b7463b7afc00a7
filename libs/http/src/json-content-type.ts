// JSON answers carry `Content-Type: application/json` exactly, as Synapse sends them. Fastify
// appends `; charset=utf-8` to serialized objects, and some clients (Sytest's registration
// checks among them) compare the whole header; JSON is UTF-8 by definition (RFC 8259), so the
// parameter says nothing a client needs.
import type { FastifyInstance } from 'fastify';

const FASTIFY_JSON = 'application/json; charset=utf-8';

export function registerJsonContentType(app: FastifyInstance): void {
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (reply.getHeader('content-type') === FASTIFY_JSON) reply.header('content-type', 'application/json');
    done(null, payload);
  });
}
