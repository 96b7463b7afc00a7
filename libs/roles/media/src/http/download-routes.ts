// Downloads, thumbnails and /config, under the authenticated client API (/_matrix/client/v1/media)
// and the legacy unauthenticated /_matrix/media/{v3,r0,v1}. As Synapse's
// enable_authenticated_media: media uploaded while it is on is never served by the legacy
// endpoints. Every answer carries the safe headers (media-headers.ts), a strong ETag (media
// never changes) and supports single byte ranges.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { MatrixError, notFound } from '@homeserver/http';
import type { LocalMediaRow } from '@homeserver/storage';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parseRange } from './byte-range.ts';
import { CLIENT_PREFIX, LEGACY_PREFIXES, type MediaRouteDeps } from './media-deps.ts';
import { mediaHeaders, servedContentType } from './media-headers.ts';
import { booleanQuery, integerQuery, mediaParams, mediaParamsSchema, requireLocal } from './media-params.ts';

const downloadQuerySchema = {
  type: 'object',
  properties: { allow_remote: { type: 'string' }, timeout_ms: { type: 'string' }, allow_redirect: { type: 'string' } },
} as const;
const thumbnailQuerySchema = {
  type: 'object',
  required: ['width', 'height'],
  properties: {
    width: { type: 'string' },
    height: { type: 'string' },
    method: { type: 'string', enum: ['crop', 'scale'] },
    animated: { type: 'string' },
    allow_remote: { type: 'string' },
    timeout_ms: { type: 'string' },
    allow_redirect: { type: 'string' },
  },
} as const;

/** Synapse's bounds on how long a download waits for an async upload. */
const DEFAULT_WAIT_MS = 20_000;
const MAX_WAIT_MS = 120_000;
const POLL_MS = 250;

interface Served {
  readonly path: string;
  readonly contentType: string;
  readonly etag: string;
  readonly fileName: string | null | undefined;
}

async function sendFile(request: FastifyRequest, reply: FastifyReply, file: Served): Promise<FastifyReply> {
  // The row says what the file should be; a missing file (deleted under us) is a 404, not a 500.
  const size = await stat(file.path).then((s) => s.size, () => undefined);
  if (size === undefined) throw notFound('the media file is missing from the store');
  const range = parseRange(request.headers.range, size);
  if (range.kind === 'unsatisfiable') {
    throw new MatrixError(416, 'M_UNKNOWN', `range ${request.headers.range ?? ''} is outside the ${size}-byte media`, { headers: { 'content-range': `bytes */${size}` } });
  }
  void reply.headers(mediaHeaders({ contentType: file.contentType, fileName: file.fileName, etag: file.etag }));
  if (request.headers['if-none-match'] === file.etag) return reply.code(304).send();
  if (range.kind === 'partial') {
    void reply.code(206).header('content-range', `bytes ${range.start}-${range.end}/${size}`).header('content-length', range.end - range.start + 1);
    return reply.send(createReadStream(file.path, { start: range.start, end: range.end }));
  }
  void reply.header('content-length', size);
  return reply.send(createReadStream(file.path));
}

export function registerDownloadRoutes(app: FastifyInstance, deps: MediaRouteDeps): void {
  const repo = deps.repository;

  /** The local media behind a request, waiting (bounded) for an async upload to arrive. */
  const uploadedMedia = async (request: FastifyRequest, options: { legacy: boolean }): Promise<LocalMediaRow> => {
    const params = mediaParams(request);
    requireLocal(params, deps.serverName);
    const waitMs = integerQuery(request, 'timeout_ms', { min: 0, max: Number.MAX_SAFE_INTEGER, fallback: DEFAULT_WAIT_MS })!;
    booleanQuery(request, 'allow_remote', true);
    booleanQuery(request, 'allow_redirect', false);
    const deadline = deps.clock.now() + Math.min(waitMs, MAX_WAIT_MS);
    let media = await repo.get(params.mediaId);
    while (media !== undefined && media.mediaLength === null && !repo.isExpired(media) && deps.clock.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      media = await repo.get(params.mediaId);
    }
    if (media === undefined || repo.isExpired(media)) throw notFound(`media mxc://${params.serverName}/${params.mediaId} does not exist`);
    if (media.mediaLength === null) throw new MatrixError(504, 'M_NOT_YET_UPLOADED', `media mxc://${params.serverName}/${params.mediaId} has not been uploaded yet`);
    if (media.quarantinedBy !== null) throw notFound(`media mxc://${params.serverName}/${params.mediaId} is quarantined`);
    if (options.legacy && media.authenticated && repo.config.enableAuthenticatedMedia) {
      throw notFound(`media mxc://${params.serverName}/${params.mediaId} is only served by the authenticated /_matrix/client/v1/media endpoints`);
    }
    await repo.touch(media);
    return media;
  };

  const download = (legacy: boolean) => async (request: FastifyRequest, reply: FastifyReply) => {
    if (!legacy) await deps.authenticate(request);
    const media = await uploadedMedia(request, { legacy });
    const fileName = mediaParams(request).fileName ?? media.uploadName;
    return sendFile(request, reply, {
      path: repo.paths.localContent(media.mediaId),
      contentType: servedContentType(media.mediaType),
      etag: `"${media.sha256 ?? media.mediaId}"`,
      fileName,
    });
  };

  const thumbnail = (legacy: boolean) => async (request: FastifyRequest, reply: FastifyReply) => {
    if (!legacy) await deps.authenticate(request);
    const width = integerQuery(request, 'width', { min: 1, max: 10_000 })!;
    const height = integerQuery(request, 'height', { min: 1, max: 10_000 })!;
    const method = ((request.query as { method?: string }).method ?? 'scale') as 'crop' | 'scale';
    const animated = booleanQuery(request, 'animated', false);
    const media = await uploadedMedia(request, { legacy });
    const thumb = await repo.thumbnail(media, { width, height, method, animated });
    const extension = thumb.type.split('/')[1] ?? 'bin';
    return sendFile(request, reply, {
      path: thumb.path,
      contentType: thumb.type,
      etag: `"${media.sha256 ?? media.mediaId}-${width}x${height}-${method}${animated ? '-animated' : ''}"`,
      fileName: `thumbnail.${extension}`,
    });
  };

  const config = async (request: FastifyRequest) => {
    await deps.authenticate(request);
    return { 'm.upload.size': repo.config.maxUploadSize };
  };

  for (const [prefix, legacy] of [[CLIENT_PREFIX, false], ...LEGACY_PREFIXES.map((p) => [p, true] as const)] as const) {
    app.get(`${prefix}/download/:serverName/:mediaId`, { schema: { params: mediaParamsSchema, querystring: downloadQuerySchema } }, download(legacy));
    app.get(`${prefix}/download/:serverName/:mediaId/:fileName`, { schema: { params: mediaParamsSchema, querystring: downloadQuerySchema } }, download(legacy));
    app.get(`${prefix}/thumbnail/:serverName/:mediaId`, { schema: { params: mediaParamsSchema, querystring: thumbnailQuerySchema } }, thumbnail(legacy));
    app.get(`${prefix}/config`, config);
  }
}
