-- The media repository (Synapse's tables and column names, so an admin who knows Synapse finds
-- their way): local uploads, their thumbnails, cached remote media. A row with a NULL
-- media_length is an async upload created by POST /create and not uploaded yet.
CREATE TABLE IF NOT EXISTS local_media_repository (
  media_id text PRIMARY KEY,
  media_type text,
  media_length int8,
  created_ts int8 NOT NULL,
  upload_name text,
  user_id text,
  quarantined_by text,
  url_cache text,
  last_access_ts int8,
  safe_from_quarantine boolean NOT NULL DEFAULT false,
  -- Uploaded while enable_authenticated_media was on: never served by the legacy endpoints.
  authenticated boolean NOT NULL DEFAULT false,
  sha256 text
);
CREATE INDEX IF NOT EXISTS local_media_repository_user ON local_media_repository (user_id, created_ts);
CREATE INDEX IF NOT EXISTS local_media_repository_pending ON local_media_repository (created_ts) WHERE media_length IS NULL;
CREATE INDEX IF NOT EXISTS local_media_repository_access ON local_media_repository (last_access_ts);

CREATE TABLE IF NOT EXISTS local_media_repository_thumbnails (
  media_id text NOT NULL REFERENCES local_media_repository (media_id) ON DELETE CASCADE,
  thumbnail_width int4 NOT NULL,
  thumbnail_height int4 NOT NULL,
  thumbnail_type text NOT NULL,
  thumbnail_method text NOT NULL,
  thumbnail_length int8 NOT NULL,
  animated boolean NOT NULL DEFAULT false,
  UNIQUE (media_id, thumbnail_width, thumbnail_height, thumbnail_type, thumbnail_method, animated)
);

CREATE TABLE IF NOT EXISTS remote_media_cache (
  media_origin text NOT NULL,
  media_id text NOT NULL,
  media_type text,
  media_length int8,
  created_ts int8 NOT NULL,
  upload_name text,
  filesystem_id text NOT NULL,
  last_access_ts int8,
  quarantined_by text,
  authenticated boolean NOT NULL DEFAULT false,
  sha256 text,
  PRIMARY KEY (media_origin, media_id)
);
CREATE INDEX IF NOT EXISTS remote_media_cache_access ON remote_media_cache (last_access_ts);
