// The media repository's metadata (migration 1400): local uploads (a NULL media_length marks an
// async upload still waiting for its bytes), their thumbnails, and cached remote media. Files
// live on disk under media_store_path; these rows say what each file is.
import type { Queryable } from '../database.ts';

export interface LocalMediaRow {
  readonly mediaId: string;
  readonly mediaType: string | null;
  /** null: created by POST /create, not uploaded yet. */
  readonly mediaLength: number | null;
  readonly createdTs: number;
  readonly uploadName: string | null;
  readonly userId: string | null;
  readonly quarantinedBy: string | null;
  readonly lastAccessTs: number | null;
  readonly safeFromQuarantine: boolean;
  readonly authenticated: boolean;
  readonly sha256: string | null;
}

export interface ThumbnailRow {
  readonly width: number;
  readonly height: number;
  readonly type: string;
  readonly method: string;
  readonly length: number;
  readonly animated: boolean;
}

const LOCAL_COLUMNS =
  'media_id, media_type, media_length, created_ts, upload_name, user_id, quarantined_by, last_access_ts, safe_from_quarantine, authenticated, sha256';

interface LocalMediaDbRow {
  media_id: string;
  media_type: string | null;
  media_length: number | null;
  created_ts: number;
  upload_name: string | null;
  user_id: string | null;
  quarantined_by: string | null;
  last_access_ts: number | null;
  safe_from_quarantine: boolean;
  authenticated: boolean;
  sha256: string | null;
}

function localRow(r: LocalMediaDbRow): LocalMediaRow {
  return {
    mediaId: r.media_id,
    mediaType: r.media_type,
    mediaLength: r.media_length,
    createdTs: r.created_ts,
    uploadName: r.upload_name,
    userId: r.user_id,
    quarantinedBy: r.quarantined_by,
    lastAccessTs: r.last_access_ts,
    safeFromQuarantine: r.safe_from_quarantine,
    authenticated: r.authenticated,
    sha256: r.sha256,
  };
}

export interface NewLocalMedia {
  readonly mediaId: string;
  readonly mediaType: string;
  readonly mediaLength: number;
  readonly createdTs: number;
  readonly uploadName: string | null;
  readonly userId: string;
  readonly authenticated: boolean;
  readonly sha256: string;
}

export async function insertLocalMedia(db: Queryable, media: NewLocalMedia): Promise<void> {
  await db.query(
    `INSERT INTO local_media_repository (media_id, media_type, media_length, created_ts, upload_name, user_id, last_access_ts, authenticated, sha256)
     VALUES ($1, $2, $3, $4, $5, $6, $4, $7, $8)`,
    [media.mediaId, media.mediaType, media.mediaLength, media.createdTs, media.uploadName, media.userId, media.authenticated, media.sha256],
  );
}

/** Reserves a media ID for an async upload (POST /create). */
export async function insertPendingMedia(db: Queryable, media: { readonly mediaId: string; readonly userId: string; readonly createdTs: number; readonly authenticated: boolean }): Promise<void> {
  await db.query('INSERT INTO local_media_repository (media_id, created_ts, user_id, authenticated) VALUES ($1, $2, $3, $4)', [
    media.mediaId,
    media.createdTs,
    media.userId,
    media.authenticated,
  ]);
}

/** Pending uploads of a user created after `since` (Synapse counts those against max_pending_media_uploads). */
export async function countPendingMedia(db: Queryable, userId: string, options: { readonly since: number }): Promise<{ count: number; oldestTs: number | null }> {
  const { rows } = await db.query<{ count: number; oldest: number | null }>(
    'SELECT count(*)::int4 AS count, min(created_ts) AS oldest FROM local_media_repository WHERE user_id = $1 AND media_length IS NULL AND created_ts > $2',
    [userId, options.since],
  );
  return { count: rows[0]?.count ?? 0, oldestTs: rows[0]?.oldest ?? null };
}

/** Fills a pending upload; false when it was already filled (another request won). */
export async function completePendingMedia(
  db: Queryable,
  media: { readonly mediaId: string; readonly mediaType: string; readonly mediaLength: number; readonly uploadName: string | null; readonly sha256: string; readonly now: number },
): Promise<boolean> {
  const result = await db.query(
    `UPDATE local_media_repository SET media_type = $2, media_length = $3, upload_name = $4, sha256 = $5, last_access_ts = $6
     WHERE media_id = $1 AND media_length IS NULL`,
    [media.mediaId, media.mediaType, media.mediaLength, media.uploadName, media.sha256, media.now],
  );
  return result.rowCount === 1;
}

export async function getLocalMedia(db: Queryable, mediaId: string): Promise<LocalMediaRow | undefined> {
  const { rows } = await db.query<LocalMediaDbRow>(`SELECT ${LOCAL_COLUMNS} FROM local_media_repository WHERE media_id = $1`, [mediaId]);
  return rows[0] ? localRow(rows[0]) : undefined;
}

export async function touchLocalMedia(db: Queryable, mediaIds: readonly string[], now: number): Promise<void> {
  if (mediaIds.length === 0) return;
  await db.query('UPDATE local_media_repository SET last_access_ts = $2 WHERE media_id = ANY($1)', [mediaIds, now]);
}

/** Pending uploads created at or before `before`, to expire. */
export async function expiredPendingMedia(db: Queryable, options: { readonly before: number; readonly limit: number }): Promise<string[]> {
  const { rows } = await db.query<{ media_id: string }>(
    'SELECT media_id FROM local_media_repository WHERE media_length IS NULL AND created_ts <= $1 ORDER BY created_ts LIMIT $2',
    [options.before, options.limit],
  );
  return rows.map((r) => r.media_id);
}

/** Uploaded local media not accessed since `before` (media_retention), never quarantine-safe ones. */
export async function staleLocalMedia(db: Queryable, options: { readonly before: number; readonly limit: number }): Promise<string[]> {
  const { rows } = await db.query<{ media_id: string }>(
    `SELECT media_id FROM local_media_repository
     WHERE media_length IS NOT NULL AND NOT safe_from_quarantine AND coalesce(last_access_ts, created_ts) < $1
     ORDER BY coalesce(last_access_ts, created_ts) LIMIT $2`,
    [options.before, options.limit],
  );
  return rows.map((r) => r.media_id);
}

export async function deleteLocalMedia(db: Queryable, mediaIds: readonly string[]): Promise<string[]> {
  if (mediaIds.length === 0) return [];
  const { rows } = await db.query<{ media_id: string }>('DELETE FROM local_media_repository WHERE media_id = ANY($1) RETURNING media_id', [mediaIds]);
  return rows.map((r) => r.media_id);
}

export interface UserMediaPage {
  readonly media: LocalMediaRow[];
  readonly total: number;
}

/** A user's uploads for the admin API, newest first unless `direction` is 'f'. */
export async function listUserMedia(db: Queryable, userId: string, options: { readonly from: number; readonly limit: number; readonly direction: 'f' | 'b' }): Promise<UserMediaPage> {
  const order = options.direction === 'f' ? 'ASC' : 'DESC';
  const { rows } = await db.query<LocalMediaDbRow>(
    `SELECT ${LOCAL_COLUMNS} FROM local_media_repository WHERE user_id = $1 ORDER BY created_ts ${order}, media_id ${order} OFFSET $2 LIMIT $3`,
    [userId, options.from, options.limit],
  );
  const total = await db.query<{ n: number }>('SELECT count(*)::int4 AS n FROM local_media_repository WHERE user_id = $1', [userId]);
  return { media: rows.map(localRow), total: total.rows[0]?.n ?? 0 };
}

/** Marks local media quarantined (skipping quarantine-safe ones); returns how many changed. */
export async function quarantineLocalMedia(db: Queryable, mediaIds: readonly string[], by: string | null): Promise<number> {
  if (mediaIds.length === 0) return 0;
  const result = await db.query(
    by === null
      ? 'UPDATE local_media_repository SET quarantined_by = NULL WHERE media_id = ANY($1)'
      : 'UPDATE local_media_repository SET quarantined_by = $2 WHERE media_id = ANY($1) AND NOT safe_from_quarantine',
    by === null ? [mediaIds] : [mediaIds, by],
  );
  return result.rowCount;
}

export async function quarantineRemoteMedia(db: Queryable, media: ReadonlyArray<{ origin: string; mediaId: string }>, by: string | null): Promise<number> {
  let changed = 0;
  for (const m of media) {
    const result = await db.query('UPDATE remote_media_cache SET quarantined_by = $3 WHERE media_origin = $1 AND media_id = $2', [m.origin, m.mediaId, by]);
    changed += result.rowCount;
  }
  return changed;
}

export async function setMediaSafeFromQuarantine(db: Queryable, mediaId: string, safe: boolean): Promise<boolean> {
  const result = await db.query('UPDATE local_media_repository SET safe_from_quarantine = $2 WHERE media_id = $1', [mediaId, safe]);
  return result.rowCount === 1;
}

/** Media IDs of every upload of a user (quarantine by user). */
export async function localMediaOfUser(db: Queryable, userId: string): Promise<string[]> {
  const { rows } = await db.query<{ media_id: string }>('SELECT media_id FROM local_media_repository WHERE user_id = $1 AND media_length IS NOT NULL', [userId]);
  return rows.map((r) => r.media_id);
}

/** mxc:// URIs named in the content of a room's events (url, info.thumbnail_url, avatar_url), for quarantine by room. */
export async function mxcUrisInRoom(db: Queryable, roomId: string): Promise<string[]> {
  const { rows } = await db.query<{ uri: string }>(
    `SELECT DISTINCT uri FROM (
       SELECT (json::jsonb)->'content'->>'url' AS uri FROM events WHERE room_id = $1
       UNION SELECT (json::jsonb)->'content'->'info'->>'thumbnail_url' FROM events WHERE room_id = $1
       UNION SELECT (json::jsonb)->'content'->>'avatar_url' FROM events WHERE room_id = $1
     ) u WHERE uri LIKE 'mxc://%'`,
    [roomId],
  );
  return rows.map((r) => r.uri);
}

export async function insertThumbnail(db: Queryable, mediaId: string, thumbnail: ThumbnailRow): Promise<void> {
  await db.query(
    `INSERT INTO local_media_repository_thumbnails (media_id, thumbnail_width, thumbnail_height, thumbnail_type, thumbnail_method, thumbnail_length, animated)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
    [mediaId, thumbnail.width, thumbnail.height, thumbnail.type, thumbnail.method, thumbnail.length, thumbnail.animated],
  );
}

export async function getThumbnails(db: Queryable, mediaId: string): Promise<ThumbnailRow[]> {
  const { rows } = await db.query<{ w: number; h: number; t: string; m: string; l: number; a: boolean }>(
    `SELECT thumbnail_width AS w, thumbnail_height AS h, thumbnail_type AS t, thumbnail_method AS m, thumbnail_length AS l, animated AS a
     FROM local_media_repository_thumbnails WHERE media_id = $1`,
    [mediaId],
  );
  return rows.map((r) => ({ width: r.w, height: r.h, type: r.t, method: r.m, length: r.l, animated: r.a }));
}

export interface RemoteMediaRow {
  readonly origin: string;
  readonly mediaId: string;
  readonly filesystemId: string;
}

/** Cached remote media not accessed since `before` (purge_media_cache, media_retention). */
export async function staleRemoteMedia(db: Queryable, options: { readonly before: number; readonly limit: number }): Promise<RemoteMediaRow[]> {
  const { rows } = await db.query<{ media_origin: string; media_id: string; filesystem_id: string }>(
    `SELECT media_origin, media_id, filesystem_id FROM remote_media_cache
     WHERE quarantined_by IS NULL AND coalesce(last_access_ts, created_ts) < $1 ORDER BY coalesce(last_access_ts, created_ts) LIMIT $2`,
    [options.before, options.limit],
  );
  return rows.map((r) => ({ origin: r.media_origin, mediaId: r.media_id, filesystemId: r.filesystem_id }));
}

export async function deleteRemoteMedia(db: Queryable, media: ReadonlyArray<{ origin: string; mediaId: string }>): Promise<number> {
  let deleted = 0;
  for (const m of media) deleted += (await db.query('DELETE FROM remote_media_cache WHERE media_origin = $1 AND media_id = $2', [m.origin, m.mediaId])).rowCount;
  return deleted;
}

/** Local media IDs uploaded before `before` and at least `minSize` bytes (the admin API's delete by date). */
export async function localMediaBefore(db: Queryable, options: { readonly before: number; readonly minSize: number; readonly keepProfiles: boolean; readonly limit: number }): Promise<string[]> {
  const { rows } = await db.query<{ media_id: string }>(
    `SELECT media_id FROM local_media_repository m
     WHERE media_length IS NOT NULL AND media_length >= $2 AND NOT safe_from_quarantine AND coalesce(last_access_ts, created_ts) < $1
       AND (NOT $3 OR NOT EXISTS (SELECT 1 FROM profiles p WHERE p.avatar_url LIKE 'mxc://%/' || m.media_id))
     ORDER BY created_ts LIMIT $4`,
    [options.before, options.minSize, options.keepProfiles, options.limit],
  );
  return rows.map((r) => r.media_id);
}
