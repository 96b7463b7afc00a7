// The media repository: uploads (direct and async), lookups, thumbnails and deletion, over the
// files under media_store_path (Synapse's layout) and the metadata rows in PostgreSQL. Every
// process hosting the media role has one; they share the store and the database, so any of
// them serves any media.
import { rename, rm, mkdir, writeFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Readable } from 'node:stream';
import type { MediaConfig, ThumbnailSizeConfig } from '@homeserver/config';
import { MatrixError, limitExceeded, notFound, tooLarge } from '@homeserver/http';
import type { Clock } from '@homeserver/services';
import {
  completePendingMedia,
  countPendingMedia,
  deleteLocalMedia,
  deleteRemoteMedia,
  expiredPendingMedia,
  getLocalMedia,
  getThumbnails,
  insertLocalMedia,
  insertPendingMedia,
  insertThumbnail,
  touchLocalMedia,
  staleLocalMedia,
  staleRemoteMedia,
  type Database,
  type LocalMediaRow,
  type ThumbnailRow,
} from '@homeserver/storage';
import type { Logger } from 'pino';
import { MediaPaths, newMediaId } from './store/media-paths.ts';
import { BodyAbortedError, BodyTooLargeError, writeBodyToFile } from './store/upload-stream.ts';
import { chooseThumbnailSize } from './thumbnails/thumbnail-choice.ts';
import { ImageTooLargeError, isThumbnailable, Thumbnailer, UnreadableImageError, type ThumbnailMethod } from './thumbnails/thumbnailer.ts';

export interface UploadOptions {
  readonly userId: string;
  /** The Content-Type header; default application/octet-stream. */
  readonly contentType: string | undefined;
  /** ?filename= */
  readonly uploadName: string | undefined;
  /** The Content-Length header, when sent: refused up front when over the limit. */
  readonly declaredLength: number | undefined;
}

export interface ThumbnailWanted {
  readonly width: number;
  readonly height: number;
  readonly method: ThumbnailMethod;
  readonly animated: boolean;
}

export interface ServedThumbnail {
  readonly path: string;
  readonly type: string;
  readonly length: number;
}

export interface MediaRepositoryOptions {
  readonly db: Database;
  readonly config: MediaConfig;
  readonly storePath: string;
  readonly clock: Clock;
  readonly logger: Logger;
}

const DEFAULT_TYPE = 'application/octet-stream';

function wrapUploadError(error: unknown): never {
  if (error instanceof BodyTooLargeError) throw tooLarge(error.message);
  if (error instanceof BodyAbortedError) throw new MatrixError(400, 'M_UNKNOWN', error.message);
  throw error;
}

export class MediaRepository {
  readonly paths: MediaPaths;
  readonly thumbnailer: Thumbnailer;
  readonly #db: Database;
  readonly #config: MediaConfig;
  readonly #clock: Clock;
  readonly #logger: Logger;

  constructor(options: MediaRepositoryOptions) {
    this.paths = new MediaPaths(options.storePath);
    this.thumbnailer = new Thumbnailer({ maxImagePixels: options.config.maxImagePixels });
    this.#db = options.db;
    this.#config = options.config;
    this.#clock = options.clock;
    this.#logger = options.logger;
  }

  get config(): MediaConfig {
    return this.#config;
  }

  #refuseDeclaredSize(declared: number | undefined): void {
    if (declared !== undefined && declared > this.#config.maxUploadSize) {
      throw tooLarge(`upload of ${declared} bytes is larger than the ${this.#config.maxUploadSize}-byte limit (max_upload_size)`);
    }
  }

  /** POST /upload: stores the body under a new media ID and makes the configured thumbnails. */
  async upload(body: Readable, options: UploadOptions): Promise<string> {
    this.#refuseDeclaredSize(options.declaredLength);
    const stored = await writeBodyToFile(body, { dir: this.paths.uploadsInProgress, maxBytes: this.#config.maxUploadSize }).catch(wrapUploadError);
    const mediaId = newMediaId();
    const mediaType = options.contentType ?? DEFAULT_TYPE;
    try {
      const target = this.paths.localContent(mediaId);
      await mkdir(dirname(target), { recursive: true });
      await rename(stored.path, target);
      await insertLocalMedia(this.#db, {
        mediaId,
        mediaType,
        mediaLength: stored.length,
        createdTs: this.#clock.now(),
        uploadName: options.uploadName ?? null,
        userId: options.userId,
        authenticated: this.#config.enableAuthenticatedMedia,
        sha256: stored.sha256,
      });
    } catch (error) {
      await rm(stored.path, { force: true });
      await rm(this.paths.localContent(mediaId), { force: true });
      throw error;
    }
    await this.#makeConfiguredThumbnails(mediaId, mediaType);
    return mediaId;
  }

  /** POST /create: reserves a media ID for a later PUT, within max_pending_media_uploads. */
  async create(userId: string): Promise<{ mediaId: string; expiresAt: number }> {
    const now = this.#clock.now();
    const expiry = this.#config.unusedExpirationTimeMs;
    const pending = await countPendingMedia(this.#db, userId, { since: now - expiry });
    if (pending.count >= this.#config.maxPendingMediaUploads) {
      const retryAfterMs = pending.oldestTs === null ? 1000 : Math.max(1000, pending.oldestTs + expiry - now);
      // Spec: too many pending uploads is M_LIMIT_EXCEEDED, retried when the oldest expires.
      throw limitExceeded(retryAfterMs);
    }
    const mediaId = newMediaId();
    await insertPendingMedia(this.#db, { mediaId, userId, createdTs: now, authenticated: this.#config.enableAuthenticatedMedia });
    return { mediaId, expiresAt: now + expiry };
  }

  /** Whether a pending row's reservation has run out. */
  isExpired(media: LocalMediaRow): boolean {
    return media.mediaLength === null && media.createdTs + this.#config.unusedExpirationTimeMs < this.#clock.now();
  }

  /** PUT /upload/{serverName}/{mediaId}: fills a media ID the user created. */
  async uploadTo(mediaId: string, body: Readable, options: UploadOptions): Promise<void> {
    // The size first, as Synapse: it needs no lookup.
    this.#refuseDeclaredSize(options.declaredLength);
    const media = await getLocalMedia(this.#db, mediaId);
    if (media === undefined || this.isExpired(media)) throw notFound(`media ID ${mediaId} was not created here, or its reservation expired`);
    if (media.userId !== options.userId) throw new MatrixError(403, 'M_FORBIDDEN', `media ID ${mediaId} was created by another user`);
    if (media.mediaLength !== null) throw new MatrixError(409, 'M_CANNOT_OVERWRITE_MEDIA', `media ID ${mediaId} already has content`);
    const stored = await writeBodyToFile(body, { dir: this.paths.uploadsInProgress, maxBytes: this.#config.maxUploadSize }).catch(wrapUploadError);
    const mediaType = options.contentType ?? DEFAULT_TYPE;
    const target = this.paths.localContent(mediaId);
    try {
      // The row update and the rename commit together: two racing PUTs cannot both land.
      await this.#db.transaction(async (tx) => {
        const filled = await completePendingMedia(tx, { mediaId, mediaType, mediaLength: stored.length, uploadName: options.uploadName ?? null, sha256: stored.sha256, now: this.#clock.now() });
        if (!filled) throw new MatrixError(409, 'M_CANNOT_OVERWRITE_MEDIA', `media ID ${mediaId} already has content`);
        await mkdir(dirname(target), { recursive: true });
        await rename(stored.path, target);
      });
    } finally {
      await rm(stored.path, { force: true });
    }
    await this.#makeConfiguredThumbnails(mediaId, mediaType);
  }

  async get(mediaId: string): Promise<LocalMediaRow | undefined> {
    return getLocalMedia(this.#db, mediaId);
  }

  /**
   * Records a download for media_retention. At most one write a minute per media: retention
   * counts in days, and a popular file must not cost a write per request.
   */
  async touch(media: LocalMediaRow): Promise<void> {
    const now = this.#clock.now();
    if (media.lastAccessTs !== null && now - media.lastAccessTs < 60_000) return;
    await touchLocalMedia(this.#db, [media.mediaId], now);
  }

  /** A thumbnail file of local media, made now if it does not exist yet. */
  async thumbnail(media: LocalMediaRow, wanted: ThumbnailWanted): Promise<ServedThumbnail> {
    if (!isThumbnailable(media.mediaType)) throw notFound(`media ${media.mediaId} is of type ${media.mediaType ?? 'unknown'}, which has no thumbnails`);
    let size: ThumbnailSizeConfig;
    if (this.#config.dynamicThumbnails) {
      size = { width: wanted.width, height: wanted.height, method: wanted.method };
    } else {
      const chosen = chooseThumbnailSize(this.#config.thumbnailSizes, wanted);
      if (chosen === undefined) throw notFound('no thumbnail sizes are configured (thumbnail_sizes) and dynamic_thumbnails is off');
      size = chosen;
    }
    const existing = (await getThumbnails(this.#db, media.mediaId)).find(
      (t) => t.method === size.method && t.animated === wanted.animated && this.#sameRequest(t, size),
    );
    if (existing !== undefined) {
      const path = this.paths.localThumbnail(media.mediaId, existing);
      if (await stat(path).then(() => true, () => false)) return { path, type: existing.type, length: existing.length };
    }
    const made = await this.#makeThumbnail(media.mediaId, size, wanted.animated);
    return { path: this.paths.localThumbnail(media.mediaId, made), type: made.type, length: made.length };
  }

  // A stored thumbnail answers a size when it was made for it (scale thumbnails of small images
  // are smaller than the box, so the box is kept in the row key through requested dims).
  #sameRequest(row: ThumbnailRow, size: ThumbnailSizeConfig): boolean {
    return row.width === size.width && row.height === size.height;
  }

  async #makeThumbnail(mediaId: string, size: ThumbnailSizeConfig, animated: boolean): Promise<ThumbnailRow> {
    let thumbnail;
    try {
      thumbnail = await this.thumbnailer.make(this.paths.localContent(mediaId), { ...size, animated });
    } catch (error) {
      if (error instanceof ImageTooLargeError) throw tooLarge(error.message);
      if (error instanceof UnreadableImageError) throw new MatrixError(400, 'M_UNKNOWN', `cannot make a thumbnail of media ${mediaId}: ${error.message}`);
      throw error;
    }
    // Rows and files are keyed by the requested box, so later requests for it find them; the
    // image inside may be smaller (scale never enlarges).
    const row: ThumbnailRow = { width: size.width, height: size.height, type: thumbnail.type, method: size.method, length: thumbnail.data.length, animated };
    const path = this.paths.localThumbnail(mediaId, row);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, thumbnail.data);
    await insertThumbnail(this.#db, mediaId, row);
    return row;
  }

  async #makeConfiguredThumbnails(mediaId: string, mediaType: string): Promise<void> {
    if (!isThumbnailable(mediaType)) return;
    for (const size of this.#config.thumbnailSizes) {
      try {
        await this.#makeThumbnail(mediaId, size, false);
      } catch (error) {
        // The upload stands; a thumbnail request will say why there is none.
        this.#logger.info({ mediaId, err: error }, 'no thumbnails for this upload');
        return;
      }
    }
  }

  /** Deletes local media rows, content and thumbnails; returns the IDs that existed. */
  async deleteLocal(mediaIds: readonly string[]): Promise<string[]> {
    const deleted = await deleteLocalMedia(this.#db, mediaIds);
    for (const mediaId of deleted) {
      await rm(this.paths.localContent(mediaId), { force: true });
      await rm(this.paths.localThumbnailDir(mediaId), { recursive: true, force: true });
    }
    return deleted;
  }

  /** Deletes cached remote media not accessed since `before`; returns how many. */
  async purgeRemoteCache(before: number): Promise<number> {
    let total = 0;
    for (;;) {
      const stale = await staleRemoteMedia(this.#db, { before, limit: 500 });
      if (stale.length === 0) return total;
      for (const media of stale) {
        await rm(this.paths.remoteContent(media.origin, media.filesystemId), { force: true });
        await rm(this.paths.remoteThumbnailDir(media.origin, media.filesystemId), { recursive: true, force: true });
      }
      total += await deleteRemoteMedia(this.#db, stale);
    }
  }

  /** Drops async-upload reservations whose unused_expiration_time has passed; returns how many. */
  async expirePendingUploads(): Promise<number> {
    let total = 0;
    for (;;) {
      const expired = await expiredPendingMedia(this.#db, { before: this.#clock.now() - this.#config.unusedExpirationTimeMs, limit: 500 });
      if (expired.length === 0) return total;
      total += (await this.deleteLocal(expired)).length;
    }
  }

  /** media_retention: deletes local and cached remote media not accessed for their lifetimes. */
  async applyRetention(): Promise<{ local: number; remote: number }> {
    const now = this.#clock.now();
    let local = 0;
    const localLifetime = this.#config.localMediaLifetimeMs;
    if (localLifetime !== undefined) {
      for (;;) {
        const stale = await staleLocalMedia(this.#db, { before: now - localLifetime, limit: 500 });
        if (stale.length === 0) break;
        local += (await this.deleteLocal(stale)).length;
      }
    }
    const remoteLifetime = this.#config.remoteMediaLifetimeMs;
    const remote = remoteLifetime === undefined ? 0 : await this.purgeRemoteCache(now - remoteLifetime);
    return { local, remote };
  }
}
