// The media role module: the repository over media_store_path and PostgreSQL, its routes on
// listeners serving client, media or federation resources (as Synapse's main and media
// workers do), and the lease-held background jobs.
import { RateLimiter } from '@homeserver/http';
import type { ListenerResource, RoleModule } from '@homeserver/services';
import { AccessTokenAuth } from '@homeserver/services';
import { registerMediaRoutes } from './http/media-routes.ts';
import type { Authenticate } from './http/media-deps.ts';
import { jobsIntervalMs, startMediaJobs } from './jobs/background-jobs.ts';
import { MediaRepository } from './media-repository.ts';
import { UrlPreviewer } from './preview/url-previewer.ts';

export interface MediaRoleOptions {
  /** Default: access tokens checked against the database. */
  readonly authenticate?: Authenticate;
}

const SERVED_ON: readonly ListenerResource[] = ['client', 'media'];

export function createMediaRole(options: MediaRoleOptions = {}): RoleModule {
  return {
    role: 'media',
    async start(ctx) {
      const media = ctx.config.media;
      const repository = new MediaRepository({ db: ctx.db, config: media, storePath: ctx.config.mediaStorePath, clock: ctx.clock, logger: ctx.logger });
      const authenticate = options.authenticate ?? new AccessTokenAuth(ctx.db, { clock: ctx.clock }).authenticate;
      const createLimiter = new RateLimiter(media.rcMediaCreate, { now: () => ctx.clock.now() });
      const previewer = media.urlPreview === undefined ? undefined : new UrlPreviewer({ config: media.urlPreview, repository, serverName: ctx.serverName, clock: ctx.clock, logger: ctx.logger });
      const contenders = ctx.config.mediaBackgroundJobsOn;
      const jobs =
        contenders === undefined || contenders.includes(ctx.instanceName)
          ? startMediaJobs({ repository, leases: ctx.leases, logger: ctx.logger, registry: ctx.metrics.registry, intervalMs: jobsIntervalMs(media.unusedExpirationTimeMs) })
          : undefined;
      return {
        async registerRoutes(app, resources) {
          if (!SERVED_ON.some((r) => resources.has(r))) return;
          await registerMediaRoutes(app, { db: ctx.db, repository, authenticate, serverName: ctx.serverName, clock: ctx.clock, createLimiter, ...(previewer ? { previewer } : {}) });
        },
        async stop() {
          await jobs?.stop();
        },
      };
    },
  };
}
