// Registers every media route in its own Fastify scope, whose one content-type parser leaves
// bodies unread: uploads are streamed to disk by their handlers, so the server-wide JSON parser
// (and its 1 MiB body limit) never sees an image. Admin routes take JSON query strings only.
import type { FastifyInstance } from 'fastify';
import { registerAdminMediaRoutes } from './admin-media-routes.ts';
import { registerDownloadRoutes } from './download-routes.ts';
import { registerPreviewRoutes } from './preview-routes.ts';
import type { MediaRouteDeps } from './media-deps.ts';
import { registerCreateRoute, registerUploadRoutes } from './upload-routes.ts';

export async function registerMediaRoutes(app: FastifyInstance, deps: MediaRouteDeps): Promise<void> {
  registerCreateRoute(app, deps);
  if (deps.previewer !== undefined) registerPreviewRoutes(app, deps, deps.previewer);
  // Awaited so the routes exist (and are seen by the route-table check) when this returns.
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
    registerUploadRoutes(scope, deps);
    registerDownloadRoutes(scope, deps);
    registerAdminMediaRoutes(scope, deps);
  });
}
