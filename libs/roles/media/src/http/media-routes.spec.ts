// The media HTTP API on a real port: uploads streamed to disk and read back byte for byte,
// Synapse's layout on disk, the safe headers, ranges and ETags, enable_authenticated_media on
// the legacy endpoints, max_upload_size without buffering, bad IDs and server names, async
// uploads (created then uploaded, limits, expiry), rc_media_create and the admin API.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { insertUser } from '@homeserver/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, openMediaEnv, SERVER, type MediaEnv } from '../testing/media-env.ts';

const ALICE = `@alice:${SERVER}`;
const BOB = `@bob:${SERVER}`;
const ADMIN = `@admin:${SERVER}`;
const MiB = 1024 * 1024;

async function upload(env: MediaEnv, body: RequestInit['body'], options: { type?: string; user?: string; query?: string } = {}): Promise<Response> {
  return fetch(`${env.baseUrl}/_matrix/media/v3/upload${options.query ?? ''}`, {
    method: 'POST',
    headers: { ...bearer(options.user ?? ALICE), ...(options.type ? { 'content-type': options.type } : {}) },
    body,
    duplex: 'half',
  } as RequestInit);
}

async function mediaIdOf(response: Response): Promise<string> {
  expect(response.status).toBe(200);
  const { content_uri: uri } = (await response.json()) as { content_uri: string };
  expect(uri).toMatch(new RegExp(`^mxc://${SERVER.replace('.', '\\.')}/[A-Za-z]{24}$`));
  return uri.split('/').pop()!;
}

/** A body of `size` bytes made as it is sent (the client never holds it whole either). */
function streamedBody(size: number): ReadableStream<Uint8Array> {
  let sent = 0;
  const chunk = new Uint8Array(256 * 1024).fill(7);
  return new ReadableStream({
    pull(controller) {
      if (sent >= size) return controller.close();
      const n = Math.min(chunk.length, size - sent);
      sent += n;
      controller.enqueue(chunk.subarray(0, n));
    },
  });
}

async function errorOf(response: Response): Promise<[number, string]> {
  return [response.status, ((await response.json()) as { errcode: string }).errcode];
}

describe('media uploads and downloads', () => {
  let env: MediaEnv;
  beforeAll(async () => {
    env = await openMediaEnv({ max_upload_size: '8M', max_pending_media_uploads: 2, unused_expiration_time: '1h', rc_media_create: { per_second: 0.001, burst_count: 4 } });
    await insertUser(env.db, { userId: ADMIN, passwordHash: null, createdTs: 0, admin: true });
    await insertUser(env.db, { userId: ALICE, passwordHash: null, createdTs: 0 });
  });
  afterAll(async () => env?.close());

  it('stores an upload in Synapse layout and serves the same bytes with the safe headers', async () => {
    const bytes = Buffer.from(Array.from({ length: 70_000 }, (_, i) => i % 251));
    const mediaId = await mediaIdOf(await upload(env, bytes, { type: 'application/pdf', query: '?filename=r%C3%A9sum%C3%A9.pdf' }));
    const onDisk = join(env.storePath, 'local_content', mediaId.slice(0, 2), mediaId.slice(2, 4), mediaId.slice(4));
    expect(await readFile(onDisk)).toEqual(bytes);

    const response = await fetch(`${env.baseUrl}/_matrix/client/v1/media/download/${SERVER}/${mediaId}`, { headers: bearer(BOB) });
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(bytes);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toBe("attachment; filename*=utf-8''r%C3%A9sum%C3%A9.pdf");
    expect(response.headers.get('content-security-policy')).toMatch(/^sandbox;/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    const etag = response.headers.get('etag')!;
    expect(etag).toMatch(/^"[0-9a-f]{64}"$/);

    // The file name in the path wins; ranges and conditional requests.
    const named = await fetch(`${env.baseUrl}/_matrix/client/v1/media/download/${SERVER}/${mediaId}/cv.pdf`, { headers: bearer(BOB) });
    expect(named.headers.get('content-disposition')).toBe('attachment; filename="cv.pdf"');
    await named.arrayBuffer();
    const ranged = await fetch(`${env.baseUrl}/_matrix/client/v1/media/download/${SERVER}/${mediaId}`, { headers: { ...bearer(BOB), range: 'bytes=100-199' } });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get('content-range')).toBe(`bytes 100-199/${bytes.length}`);
    expect(Buffer.from(await ranged.arrayBuffer())).toEqual(bytes.subarray(100, 200));
    const suffix = await fetch(`${env.baseUrl}/_matrix/client/v1/media/download/${SERVER}/${mediaId}`, { headers: { ...bearer(BOB), range: 'bytes=-10' } });
    expect(Buffer.from(await suffix.arrayBuffer())).toEqual(bytes.subarray(bytes.length - 10));
    const outside = await fetch(`${env.baseUrl}/_matrix/client/v1/media/download/${SERVER}/${mediaId}`, { headers: { ...bearer(BOB), range: 'bytes=900000-' } });
    expect(await errorOf(outside)).toEqual([416, 'M_UNKNOWN']);
    const cached = await fetch(`${env.baseUrl}/_matrix/client/v1/media/download/${SERVER}/${mediaId}`, { headers: { ...bearer(BOB), 'if-none-match': etag } });
    expect(cached.status).toBe(304);
  });

  it('serves text/html as an attachment under a sandbox CSP, and images inline', async () => {
    const html = await mediaIdOf(await upload(env, '<script>alert(1)</script>', { type: 'text/html' }));
    const response = await fetch(`${env.baseUrl}/_matrix/client/v1/media/download/${SERVER}/${html}`, { headers: bearer(ALICE) });
    expect(response.headers.get('content-disposition')).toBe('attachment');
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'none'");
    await response.arrayBuffer();
    const png = await mediaIdOf(await upload(env, Buffer.from('not really a png'), { type: 'image/png', query: '?filename=a.png' }));
    const image = await fetch(`${env.baseUrl}/_matrix/client/v1/media/download/${SERVER}/${png}`, { headers: bearer(ALICE) });
    expect(image.headers.get('content-disposition')).toBe('inline; filename="a.png"');
    await image.arrayBuffer();
  });

  it('keeps media uploaded under enable_authenticated_media off the legacy endpoints; needs a token on the new ones', async () => {
    const mediaId = await mediaIdOf(await upload(env, 'secret', { type: 'text/plain' }));
    expect(await errorOf(await fetch(`${env.baseUrl}/_matrix/media/v3/download/${SERVER}/${mediaId}`))).toEqual([404, 'M_NOT_FOUND']);
    expect(await errorOf(await fetch(`${env.baseUrl}/_matrix/client/v1/media/download/${SERVER}/${mediaId}`))).toEqual([401, 'M_MISSING_TOKEN']);
    // Media from before the switch (authenticated = false) is still served unauthenticated.
    await env.db.query('UPDATE local_media_repository SET authenticated = false WHERE media_id = $1', [mediaId]);
    const legacy = await fetch(`${env.baseUrl}/_matrix/media/r0/download/${SERVER}/${mediaId}`);
    expect([legacy.status, await legacy.text()]).toEqual([200, 'secret']);
  });

  it('answers /config with m.upload.size', async () => {
    const response = await fetch(`${env.baseUrl}/_matrix/client/v1/media/config`, { headers: bearer(ALICE) });
    expect(await response.json()).toEqual({ 'm.upload.size': 8 * MiB });
  });

  it('refuses bodies over max_upload_size with 413 M_TOO_LARGE without buffering them', async () => {
    const rssBefore = process.memoryUsage().rss;
    // Declared too large: refused before the body is read.
    const declared = await fetch(`${env.baseUrl}/_matrix/media/v3/upload`, {
      method: 'POST',
      headers: { ...bearer(ALICE), 'content-type': 'application/octet-stream', 'content-length': String(64 * MiB) },
      body: streamedBody(64 * MiB),
      duplex: 'half',
    } as RequestInit);
    expect(await errorOf(declared)).toEqual([413, 'M_TOO_LARGE']);
    // Chunked, no length: counted as it streams and cut off at the limit.
    expect(await errorOf(await upload(env, streamedBody(64 * MiB), { type: 'application/octet-stream' }))).toEqual([413, 'M_TOO_LARGE']);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(40 * MiB);
    // Nothing left behind, and the server still takes uploads.
    const { readdir } = await import('node:fs/promises');
    expect(await readdir(join(env.storePath, 'uploads_in_progress'))).toEqual([]);
    await mediaIdOf(await upload(env, streamedBody(7 * MiB), { type: 'application/octet-stream' }));
  });

  it('refuses bad media IDs and server names, and answers remote media with a clear 404', async () => {
    const get = (path: string) => fetch(`${env.baseUrl}/_matrix/client/v1/media/download/${path}`, { headers: bearer(ALICE) });
    expect(await errorOf(await get(`${SERVER}/..%2F..%2Fetc%2Fpasswd`))).toEqual([400, 'M_INVALID_PARAM']);
    expect(await errorOf(await get(`${SERVER}/abc%00def`))).toEqual([400, 'M_INVALID_PARAM']);
    expect(await errorOf(await get(`bad..name%2F/abcdef`))).toEqual([400, 'M_INVALID_PARAM']);
    expect(await errorOf(await get(`${SERVER}/doesNotExistAtAllHereXYZ`))).toEqual([404, 'M_NOT_FOUND']);
    const remote = await get('unknown.example/abcdef');
    expect(await errorOf(remote)).toEqual([404, 'M_NOT_FOUND']);
    expect(existsSync('/etc/passwd')).toBe(true);
  });

  it('creates a media ID, waits for it, takes the upload once, and only from its creator', async () => {
    const created = await fetch(`${env.baseUrl}/_matrix/media/v1/create`, { method: 'POST', headers: bearer(ALICE) });
    const { content_uri: uri, unused_expires_at: expires } = (await created.json()) as { content_uri: string; unused_expires_at: number };
    expect(expires).toBeGreaterThan(env.clock.now());
    const mediaId = uri.split('/').pop()!;
    const url = `${env.baseUrl}/_matrix/client/v1/media/download/${SERVER}/${mediaId}`;
    expect(await errorOf(await fetch(`${url}?timeout_ms=0`, { headers: bearer(ALICE) }))).toEqual([504, 'M_NOT_YET_UPLOADED']);
    // A download waiting for the upload gets it when it lands.
    const waiting = fetch(`${url}?timeout_ms=10000`, { headers: bearer(BOB) });
    const put = (user: string, body: string) =>
      fetch(`${env.baseUrl}/_matrix/media/v3/upload/${SERVER}/${mediaId}?filename=later.txt`, { method: 'PUT', headers: { ...bearer(user), 'content-type': 'text/plain' }, body });
    expect(await errorOf(await put(BOB, 'not yours'))).toEqual([403, 'M_FORBIDDEN']);
    expect((await put(ALICE, 'arrived later')).status).toBe(200);
    expect(await errorOf(await put(ALICE, 'again'))).toEqual([409, 'M_CANNOT_OVERWRITE_MEDIA']);
    const answer = await waiting;
    expect([answer.status, await answer.text(), answer.headers.get('content-disposition')]).toEqual([200, 'arrived later', 'inline; filename="later.txt"']);
  });

  it('limits pending uploads per user, rate limits /create, and expires unused IDs', async () => {
    const create = (user: string) => fetch(`${env.baseUrl}/_matrix/media/v1/create`, { method: 'POST', headers: bearer(user) });
    const carol = `@carol:${SERVER}`;
    const first = (await (await create(carol)).json()) as { content_uri: string };
    expect((await create(carol)).status).toBe(200);
    expect(await errorOf(await create(carol))).toEqual([429, 'M_LIMIT_EXCEEDED']);
    // rc_media_create (burst 4): dave fills each ID at once, so only the rate limit stops him.
    const dave = `@dave:${SERVER}`;
    for (let i = 0; i < 4; i += 1) {
      const id = ((await (await create(dave)).json()) as { content_uri: string }).content_uri.split('/').pop()!;
      const put = await fetch(`${env.baseUrl}/_matrix/media/v3/upload/${SERVER}/${id}`, { method: 'PUT', headers: { ...bearer(dave), 'content-type': 'text/plain' }, body: `n${i}` });
      expect(put.status).toBe(200);
    }
    const limited = await create(dave);
    expect(await errorOf(limited)).toEqual([429, 'M_LIMIT_EXCEEDED']);

    env.clock.advance(2 * 3_600_000);
    const mediaId = first.content_uri.split('/').pop()!;
    const late = await fetch(`${env.baseUrl}/_matrix/media/v3/upload/${SERVER}/${mediaId}`, { method: 'PUT', headers: { ...bearer(carol), 'content-type': 'text/plain' }, body: 'too late' });
    expect(await errorOf(late)).toEqual([404, 'M_NOT_FOUND']);
    const expired = await env.repository.expirePendingUploads();
    expect(expired).toBeGreaterThanOrEqual(2);
    expect(await env.repository.get(mediaId)).toBeUndefined();
  });

  it('lets admins quarantine, list, delete; refuses others', async () => {
    const mediaId = await mediaIdOf(await upload(env, 'bad stuff', { type: 'text/plain' }));
    const admin = (method: string, path: string, user = ADMIN) => fetch(`${env.baseUrl}/_synapse/admin/v1/${path}`, { method, headers: bearer(user) });
    expect(await errorOf(await admin('POST', `media/quarantine/${SERVER}/${mediaId}`, ALICE))).toEqual([403, 'M_FORBIDDEN']);
    expect((await admin('POST', `media/quarantine/${SERVER}/${mediaId}`)).status).toBe(200);
    expect(await errorOf(await fetch(`${env.baseUrl}/_matrix/client/v1/media/download/${SERVER}/${mediaId}`, { headers: bearer(ALICE) }))).toEqual([404, 'M_NOT_FOUND']);
    const list = (await (await admin('GET', `users/${encodeURIComponent(ALICE)}/media?limit=100`)).json()) as { media: Array<{ media_id: string; quarantined_by: string | null }>; total: number };
    expect(list.total).toBe(list.media.length);
    expect(list.media.find((m) => m.media_id === mediaId)?.quarantined_by).toBe(ADMIN);
    const quarantined = (await (await admin('POST', `user/${encodeURIComponent(ALICE)}/media/quarantine`)).json()) as { num_quarantined: number };
    expect(quarantined.num_quarantined).toBeGreaterThan(1);
    const deleted = (await (await admin('DELETE', `media/${SERVER}/${mediaId}`)).json()) as { deleted_media: string[]; total: number };
    expect(deleted).toEqual({ deleted_media: [mediaId], total: 1 });
    expect(existsSync(join(env.storePath, 'local_content', mediaId.slice(0, 2), mediaId.slice(2, 4), mediaId.slice(4)))).toBe(false);
    expect(await errorOf(await admin('DELETE', `media/${SERVER}/${mediaId}`))).toEqual([404, 'M_NOT_FOUND']);
    expect((await (await admin('POST', `purge_media_cache?before_ts=${Date.now()}`)).json())).toEqual({ deleted: 0 });
  });
});

describe('media_retention', () => {
  let env: MediaEnv;
  beforeAll(async () => {
    env = await openMediaEnv({ media_retention: { local_media_lifetime: '1d' } });
  });
  afterAll(async () => env?.close());

  it('deletes local media not downloaded within local_media_lifetime and keeps what was', async () => {
    const idle = await mediaIdOf(await upload(env, 'nobody reads me', { type: 'text/plain' }));
    const read = await mediaIdOf(await upload(env, 'read often', { type: 'text/plain' }));
    env.clock.advance(2 * 86_400_000);
    const download = await fetch(`${env.baseUrl}/_matrix/client/v1/media/download/${SERVER}/${read}`, { headers: bearer(ALICE) });
    expect(await download.text()).toBe('read often');
    expect(await env.repository.applyRetention()).toEqual({ local: 1, remote: 0 });
    expect(await env.repository.get(idle)).toBeUndefined();
    expect(existsSync(join(env.storePath, 'local_content', idle.slice(0, 2), idle.slice(2, 4), idle.slice(4)))).toBe(false);
    expect((await env.repository.get(read))?.mediaLength).toBe(10);
  });
});
