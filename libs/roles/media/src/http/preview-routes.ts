// GET /preview_url under the authenticated client API and the legacy prefixes, registered only
// when url_preview_enabled is on (as Synapse: otherwise the endpoint does not exist).
import { invalidParam, missingParam } from '@homeserver/http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { UrlPreviewer } from '../preview/url-previewer.ts';
import { CLIENT_PREFIX, LEGACY_PREFIXES, type MediaRouteDeps } from './media-deps.ts';

const previewQuerySchema = { type: 'object', properties: { url: { type: 'string' }, ts: { type: 'string' } } } as const;

export function registerPreviewRoutes(app: FastifyInstance, deps: MediaRouteDeps, previewer: UrlPreviewer): void {
  const handler = async (request: FastifyRequest) => {
    const requester = await deps.authenticate(request);
    const raw = (request.query as { url?: string }).url;
    if (raw === undefined || raw === '') throw missingParam('query parameter url is required');
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw invalidParam(`url ${JSON.stringify(raw)} is not an absolute URL`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalidParam(`only http and https URLs are previewed, not ${url.protocol}`);
    return previewer.preview(url, requester.userId);
  };
  for (const prefix of [CLIENT_PREFIX, ...LEGACY_PREFIXES]) app.get(`${prefix}/preview_url`, { schema: { querystring: previewQuerySchema } }, handler);
}
