// Synapse's media admin API (docs/admin_api/media_admin_api.md): quarantine by media ID, room or
// user, protect from quarantine, delete by ID or by age, list and delete a user's media, purge
// the remote media cache. Every route needs a server admin's token.
import { MatrixError, invalidParam, notFound } from '@homeserver/http';
import { notServerAdmin, type Requester } from '@homeserver/services';
import {
  listUserMedia,
  localMediaBefore,
  localMediaOfUser,
  mxcUrisInRoom,
  quarantineLocalMedia,
  quarantineRemoteMedia,
  setMediaSafeFromQuarantine,
  type LocalMediaRow,
} from '@homeserver/storage';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { MediaRouteDeps } from './media-deps.ts';
import { integerQuery, mediaParams, mediaParamsSchema } from './media-params.ts';

const ADMIN = '/_synapse/admin/v1';
const idParams = { type: 'object', required: ['mediaId'], properties: { mediaId: { type: 'string' } } } as const;
const roomParams = { type: 'object', required: ['roomId'], properties: { roomId: { type: 'string', pattern: '^!' } } } as const;
const userParams = { type: 'object', required: ['userId'], properties: { userId: { type: 'string', pattern: '^@[^:]+:.+$' } } } as const;

/** The requester, when a server admin (the token's account has the admin flag); else 403, the check main's admin API shares. */
async function requireAdmin(request: FastifyRequest, deps: MediaRouteDeps): Promise<Requester> {
  const requester = await deps.authenticate(request);
  if (requester.admin !== true) throw notServerAdmin();
  return requester;
}

function mediaJson(m: LocalMediaRow): Record<string, unknown> {
  return {
    media_id: m.mediaId,
    media_type: m.mediaType,
    media_length: m.mediaLength,
    upload_name: m.uploadName,
    created_ts: m.createdTs,
    last_access_ts: m.lastAccessTs,
    quarantined_by: m.quarantinedBy,
    safe_from_quarantine: m.safeFromQuarantine,
  };
}

/** Splits mxc:// URIs into ours (media IDs) and others' ({origin, mediaId}). */
function splitMxc(uris: readonly string[], ourName: string): { local: string[]; remote: Array<{ origin: string; mediaId: string }> } {
  const local: string[] = [];
  const remote: Array<{ origin: string; mediaId: string }> = [];
  for (const uri of uris) {
    const match = /^mxc:\/\/([^/]+)\/([A-Za-z0-9_-]+)$/.exec(uri);
    if (!match) continue;
    if (match[1] === ourName) local.push(match[2]!);
    else remote.push({ origin: match[1]!, mediaId: match[2]! });
  }
  return { local, remote };
}

export function registerAdminMediaRoutes(app: FastifyInstance, deps: MediaRouteDeps): void {
  const repo = deps.repository;

  app.post(`${ADMIN}/media/quarantine/:serverName/:mediaId`, { schema: { params: mediaParamsSchema } }, async (request) => {
    const admin = await requireAdmin(request, deps);
    const { serverName, mediaId } = mediaParams(request);
    if (serverName === deps.serverName) await quarantineLocalMedia(deps.db, [mediaId], admin.userId);
    else await quarantineRemoteMedia(deps.db, [{ origin: serverName, mediaId }], admin.userId);
    return {};
  });

  app.post(`${ADMIN}/media/unquarantine/:serverName/:mediaId`, { schema: { params: mediaParamsSchema } }, async (request) => {
    await requireAdmin(request, deps);
    const { serverName, mediaId } = mediaParams(request);
    if (serverName === deps.serverName) await quarantineLocalMedia(deps.db, [mediaId], null);
    else await quarantineRemoteMedia(deps.db, [{ origin: serverName, mediaId }], null);
    return {};
  });

  for (const [action, safe] of [['protect', true], ['unprotect', false]] as const) {
    app.post(`${ADMIN}/media/${action}/:mediaId`, { schema: { params: idParams } }, async (request) => {
      await requireAdmin(request, deps);
      const mediaId = (request.params as { mediaId: string }).mediaId;
      if (!(await setMediaSafeFromQuarantine(deps.db, mediaId, safe))) throw notFound(`no local media ${mediaId}`);
      return {};
    });
  }

  app.post(`${ADMIN}/room/:roomId/media/quarantine`, { schema: { params: roomParams } }, async (request) => {
    const admin = await requireAdmin(request, deps);
    const { local, remote } = splitMxc(await mxcUrisInRoom(deps.db, (request.params as { roomId: string }).roomId), deps.serverName);
    const count = (await quarantineLocalMedia(deps.db, local, admin.userId)) + (await quarantineRemoteMedia(deps.db, remote, admin.userId));
    return { num_quarantined: count };
  });

  app.get(`${ADMIN}/room/:roomId/media`, { schema: { params: roomParams } }, async (request) => {
    await requireAdmin(request, deps);
    const uris = await mxcUrisInRoom(deps.db, (request.params as { roomId: string }).roomId);
    const { local, remote } = splitMxc(uris, deps.serverName);
    return { local: local.map((id) => `mxc://${deps.serverName}/${id}`), remote: remote.map((r) => `mxc://${r.origin}/${r.mediaId}`) };
  });

  app.post(`${ADMIN}/user/:userId/media/quarantine`, { schema: { params: userParams } }, async (request) => {
    const admin = await requireAdmin(request, deps);
    const ids = await localMediaOfUser(deps.db, (request.params as { userId: string }).userId);
    return { num_quarantined: await quarantineLocalMedia(deps.db, ids, admin.userId) };
  });

  app.get(`${ADMIN}/users/:userId/media`, { schema: { params: userParams } }, async (request) => {
    await requireAdmin(request, deps);
    const from = integerQuery(request, 'from', { min: 0, max: Number.MAX_SAFE_INTEGER, fallback: 0 })!;
    const limit = integerQuery(request, 'limit', { min: 0, max: 10_000, fallback: 100 })!;
    const dir = (request.query as { dir?: string }).dir ?? 'f';
    if (dir !== 'f' && dir !== 'b') throw invalidParam(`query parameter dir must be f or b, got ${JSON.stringify(dir)}`);
    const page = await listUserMedia(deps.db, (request.params as { userId: string }).userId, { from, limit, direction: dir });
    const next = from + page.media.length;
    return { media: page.media.map(mediaJson), total: page.total, ...(next < page.total ? { next_token: next } : {}) };
  });

  app.delete(`${ADMIN}/users/:userId/media`, { schema: { params: userParams } }, async (request) => {
    await requireAdmin(request, deps);
    const deleted = await repo.deleteLocal(await localMediaOfUser(deps.db, (request.params as { userId: string }).userId));
    return { deleted_media: deleted, total: deleted.length };
  });

  app.delete(`${ADMIN}/media/:serverName/:mediaId`, { schema: { params: mediaParamsSchema } }, async (request) => {
    await requireAdmin(request, deps);
    const { serverName, mediaId } = mediaParams(request);
    if (serverName !== deps.serverName) throw new MatrixError(400, 'M_UNKNOWN', 'Can only delete local media');
    const deleted = await repo.deleteLocal([mediaId]);
    if (deleted.length === 0) throw notFound(`no local media ${mediaId}`);
    return { deleted_media: deleted, total: deleted.length };
  });

  app.post(`${ADMIN}/media/delete`, async (request) => {
    await requireAdmin(request, deps);
    const before = integerQuery(request, 'before_ts', { min: 0, max: Number.MAX_SAFE_INTEGER });
    if (before === undefined) throw new MatrixError(400, 'M_MISSING_PARAM', 'query parameter before_ts is required');
    const minSize = integerQuery(request, 'size_gt', { min: 0, max: Number.MAX_SAFE_INTEGER, fallback: 0 })!;
    const keep = (request.query as { keep_profiles?: string }).keep_profiles !== 'false';
    const ids = await localMediaBefore(deps.db, { before, minSize, keepProfiles: keep, limit: 10_000 });
    const deleted = await repo.deleteLocal(ids);
    return { deleted_media: deleted, total: deleted.length };
  });

  app.post(`${ADMIN}/purge_media_cache`, async (request) => {
    await requireAdmin(request, deps);
    const before = integerQuery(request, 'before_ts', { min: 0, max: Number.MAX_SAFE_INTEGER });
    if (before === undefined) throw new MatrixError(400, 'M_MISSING_PARAM', 'query parameter before_ts is required');
    return { deleted: await repo.purgeRemoteCache(before) };
  });
}
