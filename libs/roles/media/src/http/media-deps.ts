// What the media routes need from their host: the repository, the requester of a request,
// the server's name, the clock and the create rate limiter.
import type { RateLimiter } from '@homeserver/http';
import type { Clock, Requester } from '@homeserver/services';
import type { Database } from '@homeserver/storage';
import type { FastifyRequest } from 'fastify';
import type { MediaRepository } from '../media-repository.ts';
import type { UrlPreviewer } from '../preview/url-previewer.ts';

export type Authenticate = (request: FastifyRequest) => Promise<Requester>;

export interface MediaRouteDeps {
  readonly db: Database;
  readonly repository: MediaRepository;
  readonly authenticate: Authenticate;
  readonly serverName: string;
  readonly clock: Clock;
  /** rc_media_create, keyed by user. */
  readonly createLimiter: RateLimiter;
  /** URL previews; absent when url_preview_enabled is off (the routes are not registered). */
  readonly previewer?: UrlPreviewer;
}

/** The version prefixes Synapse serves the unauthenticated repository under. */
export const LEGACY_PREFIXES = ['/_matrix/media/v3', '/_matrix/media/r0', '/_matrix/media/v1'] as const;
export const CLIENT_PREFIX = '/_matrix/client/v1/media';
