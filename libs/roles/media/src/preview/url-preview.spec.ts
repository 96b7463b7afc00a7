// URL previews over HTTP against a local site: OpenGraph fields with the page's image stored as
// local media, an image URL previewed as itself, the IP blacklist (loopback refused unless
// whitelisted), max_spider_size, bad URLs, and no route at all while previews are off.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pngImage } from '../testing/images.ts';
import { bearer, openMediaEnv, SERVER, type MediaEnv } from '../testing/media-env.ts';

const ALICE = `@alice:${SERVER}`;
const PRIVATE = ['127.0.0.0/8', '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '::1/128', 'fe80::/10', 'fc00::/7'];

describe('URL previews', () => {
  let site: Server;
  let siteUrl: string;
  let png: Buffer;
  let allowed: MediaEnv;
  let blocked: MediaEnv;
  let off: MediaEnv;

  beforeAll(async () => {
    png = await pngImage(120, 80);
    site = createServer((request, response) => {
      if (request.url === '/page') {
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        response.end('<html><head><title>Fallback</title><meta property="og:title" content="Kingfishers &amp; friends"><meta name="description" content="Birds that dive"><meta property="og:image" content="/bird.png"></head><body>hi</body></html>');
      } else if (request.url === '/bird.png') {
        response.writeHead(200, { 'content-type': 'image/png' }).end(png);
      } else if (request.url === '/moved') {
        response.writeHead(302, { location: '/page' }).end();
      } else if (request.url === '/huge') {
        response.writeHead(200, { 'content-type': 'text/html' }).end(`<html>${'x'.repeat(200_000)}</html>`);
      } else {
        response.writeHead(404).end();
      }
    });
    await new Promise<void>((done) => site.listen(0, '127.0.0.1', done));
    const address = site.address();
    siteUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    allowed = await openMediaEnv({ url_preview_enabled: true, url_preview_ip_range_blacklist: PRIVATE, url_preview_ip_range_whitelist: ['127.0.0.1'], max_spider_size: '100K' });
    blocked = await openMediaEnv({ url_preview_enabled: true, url_preview_ip_range_blacklist: PRIVATE });
    off = await openMediaEnv();
  });
  afterAll(async () => {
    await Promise.all([allowed?.close(), blocked?.close(), off?.close()]);
    await new Promise((done) => site?.close(done));
  });

  const preview = (env: MediaEnv, url: string) => fetch(`${env.baseUrl}/_matrix/client/v1/media/preview_url?url=${encodeURIComponent(url)}`, { headers: bearer(ALICE) });

  it('summarises a page with OpenGraph and stores its image as local media', async () => {
    const response = await preview(allowed, `${siteUrl}/moved`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ 'og:title': 'Kingfishers & friends', 'og:description': 'Birds that dive', 'og:image:type': 'image/png', 'matrix:image:size': png.length });
    const mxc = body['og:image'] as string;
    expect(mxc).toMatch(/^mxc:\/\/media\.test\/[A-Za-z]{24}$/);
    const image = await fetch(`${allowed.baseUrl}/_matrix/client/v1/media/download/${mxc.slice('mxc://'.length)}`, { headers: bearer(ALICE) });
    expect(Buffer.from(await image.arrayBuffer()).equals(png)).toBe(true);
    // Legacy prefix too, answered from the cache.
    const legacy = await fetch(`${allowed.baseUrl}/_matrix/media/v3/preview_url?url=${encodeURIComponent(`${siteUrl}/moved`)}`, { headers: bearer(ALICE) });
    expect(((await legacy.json()) as Record<string, unknown>)['og:image']).toBe(mxc);
  });

  it('previews an image URL as the image', async () => {
    const body = (await (await preview(allowed, `${siteUrl}/bird.png`)).json()) as Record<string, unknown>;
    expect(body['matrix:image:size']).toBe(png.length);
  });

  it('refuses blacklisted addresses, oversized pages and bad URLs with Matrix errors', async () => {
    const refused = await preview(blocked, `${siteUrl}/page`);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: string }).error).toContain('blocked by url_preview_ip_range_blacklist');
    const huge = await preview(allowed, `${siteUrl}/huge`);
    expect([huge.status, ((await huge.json()) as { errcode: string }).errcode]).toEqual([502, 'M_TOO_LARGE']);
    for (const bad of ['not a url', 'ftp://example.org/x', 'file:///etc/passwd']) expect((await preview(allowed, bad)).status, bad).toBe(400);
    expect((await fetch(`${allowed.baseUrl}/_matrix/client/v1/media/preview_url`, { headers: bearer(ALICE) })).status).toBe(400);
    expect((await preview(allowed, `${siteUrl}/missing`)).status).toBe(502);
  });

  it('has no preview endpoint while url_preview_enabled is off', async () => {
    const response = await preview(off, `${siteUrl}/page`);
    expect([response.status, ((await response.json()) as { errcode: string }).errcode]).toEqual([404, 'M_UNRECOGNIZED']);
  });
});
