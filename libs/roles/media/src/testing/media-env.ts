// Test support: the media routes on a real port over PGlite, a temporary media store, and a
// Fastify app whose auth reads `Authorization: Bearer <user_id>` (no token: 401).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig, type MediaConfig } from '@homeserver/config';
import { createProcessMetrics, createServer, missingToken, RateLimiter } from '@homeserver/http';
import type { Requester } from '@homeserver/services';
import { openDatabase, type Database } from '@homeserver/storage';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { pino } from 'pino';
import { registerMediaRoutes } from '../http/media-routes.ts';
import { MediaRepository } from '../media-repository.ts';
import { UrlPreviewer } from '../preview/url-previewer.ts';

export const SERVER = 'media.test';

async function fakeAuthenticate(request: FastifyRequest): Promise<Requester> {
  const header = request.headers.authorization;
  if (!header?.startsWith('Bearer ')) throw missingToken();
  const userId = header.slice('Bearer '.length);
  // Users named @admin:... are server admins here.
  return { userId, deviceId: 'DEVICE', accessTokenId: 1, isGuest: false, admin: userId.startsWith('@admin:') };
}

export interface MediaEnv {
  readonly db: Database;
  readonly app: FastifyInstance;
  readonly repository: MediaRepository;
  readonly storePath: string;
  readonly baseUrl: string;
  readonly clock: { now(): number; advance(ms: number): void };
  close(): Promise<void>;
}

/** `config` is homeserver.yaml media keys (Synapse names). */
export async function openMediaEnv(config: Record<string, unknown> = {}): Promise<MediaEnv> {
  const storePath = await mkdtemp(join(tmpdir(), 'media-test-'));
  const media: MediaConfig = resolveConfig({ server_name: SERVER, ...config } as never, { configDir: storePath }).media;
  const db = await openDatabase({ kind: 'pglite' });
  let offset = 0;
  const clock = { now: () => Date.now() + offset, advance: (ms: number) => void (offset += ms) };
  const logger = pino({ level: 'silent' });
  const repository = new MediaRepository({ db, config: media, storePath, clock, logger });
  const app = await createServer({ logger, metrics: createProcessMetrics({ workerName: 'media1', workerApp: 'media' }) });
  await registerMediaRoutes(app, { db, repository, authenticate: fakeAuthenticate, serverName: SERVER, clock, createLimiter: new RateLimiter(media.rcMediaCreate, { now: clock.now }), ...(media.urlPreview ? { previewer: new UrlPreviewer({ config: media.urlPreview, repository, serverName: SERVER, clock, logger }) } : {}) });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    db,
    app,
    repository,
    storePath,
    baseUrl: `http://127.0.0.1:${port}`,
    clock,
    close: async () => {
      await app.close();
      await db.close();
      await rm(storePath, { recursive: true, force: true });
    },
  };
}

export function bearer(userId: string): Record<string, string> {
  return { authorization: `Bearer ${userId}` };
}
