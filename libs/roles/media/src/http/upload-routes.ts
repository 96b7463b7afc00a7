// Uploads: POST /upload (a new media ID), POST /v1/create (a media ID reserved for a later
// upload) and PUT /upload/{serverName}/{mediaId} (the bytes for it). Upload bodies are never
// parsed: the media scope hands the raw request stream to the repository, which writes it to disk.
import { limitExceeded } from '@homeserver/http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { UploadOptions } from '../media-repository.ts';
import { LEGACY_PREFIXES, type MediaRouteDeps } from './media-deps.ts';
import { mediaParams, mediaParamsSchema, requireLocal } from './media-params.ts';

const uploadQuerySchema = { type: 'object', properties: { filename: { type: 'string' } } } as const;

function uploadOptions(request: FastifyRequest, userId: string): UploadOptions {
  const header = request.headers['content-length'];
  const declared = header === undefined ? undefined : Number(header);
  const contentType = request.headers['content-type'];
  const filename = (request.query as { filename?: string } | undefined)?.filename;
  return {
    userId,
    contentType: contentType === undefined || contentType.trim() === '' ? undefined : contentType,
    uploadName: filename === undefined || filename === '' ? undefined : filename,
    declaredLength: declared !== undefined && Number.isFinite(declared) ? declared : undefined,
  };
}

export function registerUploadRoutes(app: FastifyInstance, deps: MediaRouteDeps): void {
  const mxc = (mediaId: string) => `mxc://${deps.serverName}/${mediaId}`;

  for (const prefix of LEGACY_PREFIXES) {
    app.post(`${prefix}/upload`, { schema: { querystring: uploadQuerySchema } }, async (request) => {
      const requester = await deps.authenticate(request);
      const mediaId = await deps.repository.upload(request.raw, uploadOptions(request, requester.userId));
      request.log.info({ mediaId, userId: requester.userId }, 'media uploaded');
      return { content_uri: mxc(mediaId) };
    });

    app.put(`${prefix}/upload/:serverName/:mediaId`, { schema: { params: mediaParamsSchema, querystring: uploadQuerySchema } }, async (request) => {
      const requester = await deps.authenticate(request);
      const params = mediaParams(request);
      requireLocal(params, deps.serverName);
      await deps.repository.uploadTo(params.mediaId, request.raw, uploadOptions(request, requester.userId));
      return {};
    });
  }

}

/**
 * POST /_matrix/media/v1/create (v1 only, as the spec). It takes no body, so it is registered
 * outside the raw-body scope: a body sent anyway goes through the JSON parser like any other.
 */
export function registerCreateRoute(app: FastifyInstance, deps: MediaRouteDeps): void {
  app.post('/_matrix/media/v1/create', async (request) => {
    const requester = await deps.authenticate(request);
    const wait = deps.createLimiter.check(requester.userId);
    if (wait > 0) throw limitExceeded(wait);
    const { mediaId, expiresAt } = await deps.repository.create(requester.userId);
    return { content_uri: `mxc://${deps.serverName}/${mediaId}`, unused_expires_at: expiresAt };
  });
}
