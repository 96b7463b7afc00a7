// matrix-js-sdk against the monolith's media repository over real HTTP, on both storage modes:
// uploadContent of a PNG, a JPEG, an animated GIF and a 20 MB binary, each read back through the
// SDK's authenticated download URL with the same bytes and type; a thumbnail URL from the SDK;
// an avatar set from an upload, seen in the profile and in the member event. JSON answers are
// checked against the v1.19 spec.
import { createHmac, randomBytes } from 'node:crypto';
// Test images only (the test process does not start the role from this import; the server under
// test still loads role-media lazily).
// eslint-disable-next-line @nx/enforce-module-boundaries
import { animatedGif, jpegImage, pngImage } from '@homeserver/role-media/testing';
import type { MatrixClient } from 'matrix-js-sdk';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { registerUser, type ClientOptions } from './testing/sdk-clients.ts';
import { describeViolations, SpecCheckedFetch } from './testing/spec-checked-fetch.ts';
import { startTestHomeserver, type StorageMode, type TestHomeserver } from './testing/test-homeserver.ts';

const BOOT_TIMEOUT = 180_000;
const ADMIN_SECRET = 'media-admin-secret';

/** Registers a server admin through Synapse's shared-secret registration; returns its token. */
async function registerAdmin(baseUrl: string, username: string): Promise<string> {
  const { nonce } = (await (await fetch(`${baseUrl}/_synapse/admin/v1/register`)).json()) as { nonce: string };
  const password = 'admin password 1';
  const mac = createHmac('sha1', ADMIN_SECRET).update(`${nonce}\0${username}\0${password}\0admin`).digest('hex');
  const response = await fetch(`${baseUrl}/_synapse/admin/v1/register`, { method: 'POST', body: JSON.stringify({ nonce, username, password, admin: true, mac }) });
  return ((await response.json()) as { access_token: string }).access_token;
}

async function download(client: MatrixClient, mxc: string): Promise<{ status: number; type: string | null; body: Buffer }> {
  // useAuthentication: the SDK builds /_matrix/client/v1/media/download/...
  const url = client.mxcUrlToHttp(mxc, undefined, undefined, undefined, false, true, true);
  expect(url).toContain('/_matrix/client/v1/media/download/');
  const response = await fetch(url!, { headers: { authorization: `Bearer ${client.getAccessToken()}` } });
  return { status: response.status, type: response.headers.get('content-type'), body: Buffer.from(await response.arrayBuffer()) };
}

describe.each<StorageMode>(['pglite', 'postgres'])('matrix-js-sdk media (%s)', (mode) => {
  let server: TestHomeserver;
  let fetcher: SpecCheckedFetch;
  let opts: ClientOptions;

  beforeAll(async () => {
    server = await startTestHomeserver(mode, { extra: { registration_shared_secret: ADMIN_SECRET } });
  }, BOOT_TIMEOUT);
  afterAll(async () => {
    await server?.stop();
  }, 60_000);

  beforeEach(() => {
    fetcher = new SpecCheckedFetch();
    opts = { baseUrl: server.baseUrl, fetcher };
  });
  afterEach(async () => {
    const violations = await fetcher.takeViolations();
    expect(violations, `spec violations:\n${describeViolations(violations)}`).toEqual([]);
  });

  it('uploadContent of a PNG, a JPEG, an animated GIF and a 20 MB binary reads back the same bytes and type', async () => {
    const alice = await registerUser('uploader', opts);
    const files: Array<[string, Buffer, string]> = [
      ['photo.png', await pngImage(640, 480), 'image/png'],
      ['photo.jpg', await jpegImage(800, 600), 'image/jpeg'],
      ['party.gif', await animatedGif(120, 90, 3), 'image/gif'],
      ['blob.bin', randomBytes(20 * 1024 * 1024), 'application/octet-stream'],
    ];
    for (const [name, bytes, type] of files) {
      const { content_uri: mxc } = await alice.client.uploadContent(bytes, { name, type });
      expect(mxc).toMatch(/^mxc:\/\/hs\.test\/[A-Za-z]{24}$/);
      const answer = await download(alice.client, mxc);
      expect([answer.status, answer.type], name).toEqual([200, type]);
      expect(answer.body.equals(bytes), `${name}: same bytes`).toBe(true);
    }
    // The SDK's thumbnail URL, authenticated.
    const { content_uri: png } = await alice.client.uploadContent(await pngImage(1000, 500), { name: 'wide.png', type: 'image/png' });
    const thumbUrl = alice.client.mxcUrlToHttp(png, 320, 240, 'scale', false, true, true)!;
    const thumb = await fetch(thumbUrl, { headers: { authorization: `Bearer ${alice.client.getAccessToken()}` } });
    const meta = await sharp(Buffer.from(await thumb.arrayBuffer())).metadata();
    expect([meta.width, meta.height]).toEqual([320, 160]);
    // The config the SDK reads.
    expect((await alice.client.getMediaConfig(true))['m.upload.size']).toBe(50 * 1024 * 1024);
  });

  it('an avatar set from an upload appears in the profile and the member event', async () => {
    const bob = await registerUser('avatar', opts);
    const { room_id: roomId } = await bob.client.createRoom({ name: 'avatar room' });
    const { content_uri: mxc } = await bob.client.uploadContent(await pngImage(256, 256), { name: 'me.png', type: 'image/png' });
    await bob.client.setAvatarUrl(mxc);
    expect((await bob.client.getProfileInfo(bob.userId)).avatar_url).toBe(mxc);
    const member = (await bob.client.getStateEvent(roomId, 'm.room.member', bob.userId)) as { avatar_url?: string; membership: string };
    expect(member).toMatchObject({ membership: 'join', avatar_url: mxc });
    const answer = await download(bob.client, mxc);
    expect([answer.status, answer.type]).toEqual([200, 'image/png']);
  });

  it('an admin quarantines the media posted in a room (downloads then answer 404) and lists a user\'s uploads', async () => {
    const carol = await registerUser('poster', opts);
    const adminToken = await registerAdmin(server.baseUrl, `admin_${mode}`);
    const admin = (method: string, path: string) => fetch(`${server.baseUrl}/_synapse/admin/v1/${path}`, { method, headers: { authorization: `Bearer ${adminToken}` } });
    const { room_id: roomId } = await carol.client.createRoom({ name: 'pictures' });
    const { content_uri: mxc } = await carol.client.uploadContent(await pngImage(64, 64), { name: 'cat.png', type: 'image/png' });
    await carol.client.sendMessage(roomId, { msgtype: 'm.image', body: 'cat.png', url: mxc } as never);
    expect((await download(carol.client, mxc)).status).toBe(200);
    // Not an admin: refused.
    const refused = await fetch(`${server.baseUrl}/_synapse/admin/v1/room/${encodeURIComponent(roomId)}/media/quarantine`, { method: 'POST', headers: { authorization: `Bearer ${carol.client.getAccessToken()}` } });
    expect(refused.status).toBe(403);
    expect(await (await admin('GET', `room/${encodeURIComponent(roomId)}/media`)).json()).toEqual({ local: [mxc], remote: [] });
    expect(await (await admin('POST', `room/${encodeURIComponent(roomId)}/media/quarantine`)).json()).toEqual({ num_quarantined: 1 });
    const gone = await download(carol.client, mxc);
    expect(gone.status).toBe(404);
    const listed = (await (await admin('GET', `users/${encodeURIComponent(carol.userId)}/media`)).json()) as { media: Array<{ media_id: string; quarantined_by: string }>; total: number };
    expect(listed.total).toBe(1);
    expect(listed.media[0]!.media_id).toBe(mxc.split('/').pop());
    expect(listed.media[0]!.quarantined_by).toMatch(/^@admin_/);
  });
});
