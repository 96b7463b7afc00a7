// The schema of the media repository's keys (spread into the homeserver.yaml schema). Apart from
// media-config.ts, which resolves them, so a process that skips schema validation (a config its
// own start already validated, see load-config.ts) never loads TypeBox.
import Type, { type Static } from 'typebox';

// Synapse's sizes: an integer of bytes, or digits with K, M or G (powers of 1024).
const Size = Type.Union([Type.Integer({ minimum: 1 }), Type.String({ pattern: '^[0-9]+[KMG]?$' })]);
const Duration = Type.Union([Type.Integer({ minimum: 0 }), Type.String({ pattern: '^[0-9]+(ms|s|m|h|d|w|y)?$' })]);
const ThumbnailSize = Type.Object(
  { width: Type.Integer({ minimum: 1, maximum: 4096 }), height: Type.Integer({ minimum: 1, maximum: 4096 }), method: Type.Optional(Type.Enum(['crop', 'scale'])) },
  { additionalProperties: false },
);

/** The schema properties of the media keys (spread into the homeserver.yaml schema). */
export const MEDIA_CONFIG_KEYS = {
  max_upload_size: Type.Optional(Size),
  max_image_pixels: Type.Optional(Size),
  dynamic_thumbnails: Type.Optional(Type.Boolean()),
  thumbnail_sizes: Type.Optional(Type.Array(ThumbnailSize)),
  enable_authenticated_media: Type.Optional(Type.Boolean()),
  max_pending_media_uploads: Type.Optional(Type.Integer({ minimum: 1 })),
  unused_expiration_time: Type.Optional(Duration),
  media_retention: Type.Optional(
    Type.Object({ local_media_lifetime: Type.Optional(Duration), remote_media_lifetime: Type.Optional(Duration) }, { additionalProperties: false }),
  ),
  rc_media_create: Type.Optional(
    Type.Object({ per_second: Type.Number({ minimum: 0 }), burst_count: Type.Number({ minimum: 0 }) }, { additionalProperties: false }),
  ),
  url_preview_enabled: Type.Optional(Type.Boolean()),
  url_preview_ip_range_blacklist: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
  url_preview_ip_range_whitelist: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
  max_spider_size: Type.Optional(Size),
};

export type MediaKeysFile = Static<ReturnType<typeof Type.Object<typeof MEDIA_CONFIG_KEYS>>>;
