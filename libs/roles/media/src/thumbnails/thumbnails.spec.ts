// Thumbnails over HTTP, decoded: every default size and method for a PNG, a JPEG and a small
// image (never enlarged), dynamic sizes when enabled, animated GIFs kept animated, and the
// refusals: truncated image (400), pixel bomb (413), non-image (404), all without harm.
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { animatedGif, jpegImage, pngBomb, pngImage } from '../testing/images.ts';
import { bearer, openMediaEnv, SERVER, type MediaEnv } from '../testing/media-env.ts';

const ALICE = `@alice:${SERVER}`;

async function upload(env: MediaEnv, data: Buffer, type: string): Promise<string> {
  const response = await fetch(`${env.baseUrl}/_matrix/media/v3/upload`, { method: 'POST', headers: { ...bearer(ALICE), 'content-type': type }, body: data });
  expect(response.status).toBe(200);
  return ((await response.json()) as { content_uri: string }).content_uri.split('/').pop()!;
}

async function thumbnail(env: MediaEnv, mediaId: string, query: string): Promise<{ status: number; type: string | null; body: Buffer }> {
  const response = await fetch(`${env.baseUrl}/_matrix/client/v1/media/thumbnail/${SERVER}/${mediaId}?${query}`, { headers: bearer(ALICE) });
  return { status: response.status, type: response.headers.get('content-type'), body: Buffer.from(await response.arrayBuffer()) };
}

const DEFAULTS = [
  { width: 32, height: 32, method: 'crop' },
  { width: 96, height: 96, method: 'crop' },
  { width: 320, height: 240, method: 'scale' },
  { width: 640, height: 480, method: 'scale' },
  { width: 800, height: 600, method: 'scale' },
] as const;

describe('thumbnails (configured sizes)', () => {
  let env: MediaEnv;
  beforeAll(async () => {
    env = await openMediaEnv();
  });
  afterAll(async () => env?.close());

  for (const [name, make, type] of [
    ['PNG', () => pngImage(1600, 1000), 'image/png'],
    ['JPEG', () => jpegImage(1200, 900), 'image/jpeg'],
  ] as const) {
    it(`makes every default size of a ${name} at upload, crop exact and scale within bounds`, async () => {
      const mediaId = await upload(env, await make(), type);
      const original = { width: name === 'PNG' ? 1600 : 1200, height: name === 'PNG' ? 1000 : 900 };
      for (const size of DEFAULTS) {
        const answer = await thumbnail(env, mediaId, `width=${size.width}&height=${size.height}&method=${size.method}`);
        expect(answer.status, `${size.width}x${size.height} ${size.method}`).toBe(200);
        expect(answer.type).toBe(type);
        const meta = await sharp(answer.body).metadata();
        if (size.method === 'crop') {
          expect([meta.width, meta.height]).toEqual([size.width, size.height]);
        } else {
          expect(meta.width).toBeLessThanOrEqual(size.width);
          expect(meta.height).toBeLessThanOrEqual(size.height);
          // Aspect kept, one side touching the box.
          expect(meta.width === size.width || meta.height === size.height).toBe(true);
          expect(Math.abs(meta.width! / meta.height! - original.width / original.height)).toBeLessThan(0.02);
        }
      }
    });
  }

  it('never enlarges a small image when scaling, and picks the nearest configured size', async () => {
    const mediaId = await upload(env, await pngImage(200, 100), 'image/png');
    const scaled = await sharp((await thumbnail(env, mediaId, 'width=800&height=600&method=scale')).body).metadata();
    expect([scaled.width, scaled.height]).toEqual([200, 100]);
    // 50x50 crop is answered by the 96x96 crop (smallest covering), as Synapse picks.
    const crop = await sharp((await thumbnail(env, mediaId, 'width=50&height=50&method=crop')).body).metadata();
    expect([crop.width, crop.height]).toEqual([96, 96]);
  });

  it('keeps an animated GIF animated when asked, and static otherwise', async () => {
    const mediaId = await upload(env, await animatedGif(400, 300, 4), 'image/gif');
    const animated = await thumbnail(env, mediaId, 'width=96&height=96&method=crop&animated=true');
    expect([animated.status, animated.type]).toEqual([200, 'image/gif']);
    const meta = await sharp(animated.body, { animated: true }).metadata();
    expect(meta.pages).toBe(4);
    expect([meta.width, meta.pageHeight]).toEqual([96, 96]);
    const still = await thumbnail(env, mediaId, 'width=96&height=96&method=crop');
    expect(still.type).toBe('image/png');
    expect((await sharp(still.body).metadata()).pages ?? 1).toBe(1);
  });

  it('refuses a truncated PNG (400), a 40,000 × 40,000 bomb (413) and a non-image (404), and keeps serving', async () => {
    const truncated = (await pngImage(800, 600)).subarray(0, 300);
    const truncatedId = await upload(env, truncated, 'image/png');
    const t = await thumbnail(env, truncatedId, 'width=96&height=96&method=crop');
    expect(t.status).toBe(400);
    expect(JSON.parse(t.body.toString()).errcode).toBe('M_UNKNOWN');

    const bombId = await upload(env, await pngBomb(), 'image/png');
    const rssBefore = process.memoryUsage().rss;
    const b = await thumbnail(env, bombId, 'width=96&height=96&method=crop');
    expect(b.status).toBe(413);
    expect(JSON.parse(b.body.toString()).errcode).toBe('M_TOO_LARGE');
    // 1.6 G pixels were never decoded.
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(100 * 1024 * 1024);

    const textId = await upload(env, Buffer.from('hello'), 'text/plain');
    expect((await thumbnail(env, textId, 'width=96&height=96')).status).toBe(404);

    const ok = await upload(env, await pngImage(64, 64), 'image/png');
    expect((await thumbnail(env, ok, 'width=32&height=32&method=crop')).status).toBe(200);
  });

  it('answers bad sizes with M_INVALID_PARAM / M_MISSING_PARAM', async () => {
    const mediaId = await upload(env, await pngImage(64, 64), 'image/png');
    for (const [query, errcode] of [
      ['width=0&height=10', 'M_INVALID_PARAM'],
      ['width=-5&height=10', 'M_INVALID_PARAM'],
      ['width=abc&height=10', 'M_INVALID_PARAM'],
      ['height=10', 'M_MISSING_PARAM'],
      ['width=10&height=10&method=stretch', 'M_INVALID_PARAM'],
    ] as const) {
      const answer = await thumbnail(env, mediaId, query);
      expect([answer.status, JSON.parse(answer.body.toString()).errcode], query).toEqual([400, errcode]);
    }
  });
});

describe('thumbnails (dynamic_thumbnails)', () => {
  let env: MediaEnv;
  beforeAll(async () => {
    env = await openMediaEnv({ dynamic_thumbnails: true });
  });
  afterAll(async () => env?.close());

  it('makes the requested size on demand', async () => {
    const mediaId = await upload(env, await pngImage(1000, 1000), 'image/png');
    const crop = await sharp((await thumbnail(env, mediaId, 'width=123&height=45&method=crop')).body).metadata();
    expect([crop.width, crop.height]).toEqual([123, 45]);
    const scale = await sharp((await thumbnail(env, mediaId, 'width=300&height=200&method=scale')).body).metadata();
    expect([scale.width, scale.height]).toEqual([200, 200]);
  });
});
