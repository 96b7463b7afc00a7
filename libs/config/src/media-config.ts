// The media repository's keys, in Synapse's names and with Synapse's defaults: upload and image
// size bounds, thumbnail sizes, authenticated media, async uploads, retention, the upload rate
// limit and URL previews. Kept apart from the core schema so the media role's settings read in
// one place.
import { ConfigError } from './config-error.ts';
import { durationMs } from './duration.ts';
import type { MediaKeysFile } from './media-config-keys.ts';

export interface ThumbnailSizeConfig {
  readonly width: number;
  readonly height: number;
  readonly method: 'crop' | 'scale';
}

/** The media repository's settings (Synapse's names in the README). */
export interface MediaConfig {
  /** Largest upload in bytes. Default: 50M. */
  readonly maxUploadSize: number;
  /** Largest image (width × height) thumbnailed; larger ones are refused. Default: 32M. */
  readonly maxImagePixels: number;
  /** Thumbnails of any requested size made on demand. Default: false (the configured sizes only). */
  readonly dynamicThumbnails: boolean;
  /** Thumbnails made at upload. Default: Synapse's 32×32 and 96×96 crop, 320×240, 640×480, 800×600 scale. */
  readonly thumbnailSizes: readonly ThumbnailSizeConfig[];
  /** Media uploaded while true is not served by the unauthenticated /_matrix/media/v3 downloads. Default: true. */
  readonly enableAuthenticatedMedia: boolean;
  /** Async uploads (POST /create) a user may have pending. Default: 5. */
  readonly maxPendingMediaUploads: number;
  /** How long a created media ID waits for its upload, in ms. Default: 24h. */
  readonly unusedExpirationTimeMs: number;
  /** Local media not accessed for this long is deleted (ms). Default: kept forever. */
  readonly localMediaLifetimeMs: number | undefined;
  /** Cached remote media not accessed for this long is deleted (ms). Default: kept forever. */
  readonly remoteMediaLifetimeMs: number | undefined;
  /** Synapse's rc_media_create (POST /create per user). Default: 10/s, burst 50. */
  readonly rcMediaCreate: { readonly per_second: number; readonly burst_count: number };
  /** URL previews; undefined when url_preview_enabled is off (the default). */
  readonly urlPreview: UrlPreviewConfig | undefined;
}

/** Synapse's url_preview_* keys. */
export interface UrlPreviewConfig {
  /** CIDR ranges never fetched (required when previews are on, as in Synapse). */
  readonly ipRangeBlacklist: readonly string[];
  /** CIDR ranges fetched even inside the blacklist. Default: none. */
  readonly ipRangeWhitelist: readonly string[];
  /** Most bytes of a page or image read. Default: 10M. */
  readonly maxSpiderSize: number;
}

const SIZE_UNITS: Readonly<Record<string, number>> = { K: 1024, M: 1024 ** 2, G: 1024 ** 3 };

/** Bytes of a Synapse size value (`50M`); `fallback` when absent. */
export function sizeBytes(value: number | string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number') return value;
  const match = /^([0-9]+)([KMG])?$/.exec(value);
  if (!match) throw new ConfigError(`size ${JSON.stringify(value)} is not digits with an optional K, M or G suffix`);
  return Number(match[1]) * (match[2] ? SIZE_UNITS[match[2]]! : 1);
}

export const DEFAULT_THUMBNAIL_SIZES: readonly ThumbnailSizeConfig[] = [
  { width: 32, height: 32, method: 'crop' },
  { width: 96, height: 96, method: 'crop' },
  { width: 320, height: 240, method: 'scale' },
  { width: 640, height: 480, method: 'scale' },
  { width: 800, height: 600, method: 'scale' },
];

export function resolveMediaConfig(file: MediaKeysFile): MediaConfig {
  // As Synapse: previews on without a blacklist would let any user make the server fetch
  // internal addresses, so the blacklist is required.
  if (file.url_preview_enabled === true && file.url_preview_ip_range_blacklist === undefined) {
    throw new ConfigError('key "url_preview_ip_range_blacklist" is missing: it is required when url_preview_enabled is true (list the private and loopback ranges the server must never fetch)');
  }
  const retention = file.media_retention;
  return {
    maxUploadSize: sizeBytes(file.max_upload_size, 50 * 1024 ** 2),
    maxImagePixels: sizeBytes(file.max_image_pixels, 32 * 1024 ** 2),
    dynamicThumbnails: file.dynamic_thumbnails ?? false,
    thumbnailSizes: (file.thumbnail_sizes ?? DEFAULT_THUMBNAIL_SIZES).map((s) => ({ width: s.width, height: s.height, method: s.method ?? 'scale' })),
    enableAuthenticatedMedia: file.enable_authenticated_media ?? true,
    maxPendingMediaUploads: file.max_pending_media_uploads ?? 5,
    unusedExpirationTimeMs: durationMs(file.unused_expiration_time, 24 * 3_600_000),
    localMediaLifetimeMs: retention?.local_media_lifetime === undefined ? undefined : durationMs(retention.local_media_lifetime, 0),
    remoteMediaLifetimeMs: retention?.remote_media_lifetime === undefined ? undefined : durationMs(retention.remote_media_lifetime, 0),
    rcMediaCreate: file.rc_media_create ?? { per_second: 10, burst_count: 50 },
    urlPreview:
      file.url_preview_enabled === true
        ? {
            ipRangeBlacklist: file.url_preview_ip_range_blacklist ?? [],
            ipRangeWhitelist: file.url_preview_ip_range_whitelist ?? [],
            maxSpiderSize: sizeBytes(file.max_spider_size, 10 * 1024 ** 2),
          }
        : undefined,
  };
}
