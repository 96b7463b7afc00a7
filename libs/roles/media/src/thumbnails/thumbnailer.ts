// Image work with sharp (libvips), bounded so a hostile image cannot hurt the process: the size
// is read from the header first and anything over max_image_pixels is refused before a pixel is
// decoded (limitInputPixels is the backstop), decoding fails on a truncated or corrupt file
// instead of guessing, each job has a time limit, libvips uses one thread per job and at most
// `concurrency` jobs run at once (the rest queue), so thumbnails never starve the libuv pool
// that file uploads and downloads share. sharp (and libvips, tens of MiB resident) is loaded by
// the first image job, not at start: a media process that never thumbnails never pays for it.
import type { Metadata, Sharp, SharpOptions } from 'sharp';

let loadingSharp: Promise<(input: string, options: SharpOptions) => Sharp> | undefined;

function sharpLibrary(): Promise<(input: string, options: SharpOptions) => Sharp> {
  loadingSharp ??= import('sharp').then(({ default: sharp }) => {
    // No operation cache: media is read once per thumbnail, caching only holds memory.
    sharp.cache(false);
    sharp.concurrency(1);
    return sharp;
  });
  return loadingSharp;
}

export interface ImageInfo {
  readonly width: number;
  readonly height: number;
  /** Frames of an animated image; 1 otherwise. */
  readonly pages: number;
  /** sharp's format name: jpeg, png, gif, webp, ... */
  readonly format: string;
}

export type ThumbnailMethod = 'crop' | 'scale';

export interface ThumbnailRequest {
  readonly width: number;
  readonly height: number;
  readonly method: ThumbnailMethod;
  /** Keep every frame of an animated source (GIF or WebP). */
  readonly animated: boolean;
}

export interface Thumbnail {
  readonly data: Buffer;
  readonly width: number;
  readonly height: number;
  /** Content type of `data`. */
  readonly type: string;
}

/** The image cannot be read (truncated, corrupt, or not a format we thumbnail). */
export class UnreadableImageError extends Error {
  override name = 'UnreadableImageError';
}

/** The image has more pixels than max_image_pixels. */
export class ImageTooLargeError extends Error {
  override name = 'ImageTooLargeError';
}

/** Source formats thumbnails are made of (Synapse's list plus animated WebP). */
const THUMBNAILABLE = new Set(['image/jpeg', 'image/jpg', 'image/pjpeg', 'image/png', 'image/gif', 'image/webp']);

export function isThumbnailable(contentType: string | null): boolean {
  return contentType !== null && THUMBNAILABLE.has(contentType.split(';')[0]!.trim().toLowerCase());
}

export interface ThumbnailerOptions {
  /** Largest width × height (× frames when animated) decoded. */
  readonly maxImagePixels: number;
  /** Jobs run at once. Default: 2. */
  readonly concurrency?: number;
  /** Seconds a job may take before libvips stops it. Default: 30. */
  readonly timeoutSeconds?: number;
}

export class Thumbnailer {
  readonly #maxPixels: number;
  readonly #timeoutSeconds: number;
  readonly #slots: number;
  #running = 0;
  readonly #queue: Array<() => void> = [];

  constructor(options: ThumbnailerOptions) {
    this.#maxPixels = options.maxImagePixels;
    this.#slots = options.concurrency ?? 2;
    this.#timeoutSeconds = options.timeoutSeconds ?? 30;
  }

  /** Width, height, frames and format from the file's header (no pixel is decoded). */
  async probe(path: string): Promise<ImageInfo> {
    const sharp = await sharpLibrary();
    let metadata: Metadata;
    try {
      metadata = await sharp(path, { limitInputPixels: false }).metadata();
    } catch (error) {
      throw new UnreadableImageError(`cannot read the image header: ${(error as Error).message}`);
    }
    if (!metadata.width || !metadata.height) throw new UnreadableImageError('the image has no dimensions');
    return { width: metadata.width, height: metadata.height, pages: metadata.pages ?? 1, format: metadata.format };
  }

  /** Makes one thumbnail of the image at `path`. */
  async make(path: string, request: ThumbnailRequest): Promise<Thumbnail> {
    const info = await this.probe(path);
    const animated = request.animated && info.pages > 1 && (info.format === 'gif' || info.format === 'webp');
    const pixels = info.width * info.height * (animated ? info.pages : 1);
    if (info.width * info.height > this.#maxPixels || pixels > this.#maxPixels) {
      throw new ImageTooLargeError(`the image has ${info.width}×${info.height}${animated ? `×${info.pages}` : ''} pixels; at most ${this.#maxPixels} are thumbnailed (max_image_pixels)`);
    }
    const sharp = await sharpLibrary();
    return this.#withSlot(async () => {
      try {
        let pipeline = sharp(path, { animated, limitInputPixels: this.#maxPixels, failOn: 'error', sequentialRead: true })
          .rotate()
          .resize({
            width: request.width,
            height: request.height,
            // crop: exactly the requested box; scale: within it, keeping the aspect, never enlarged.
            fit: request.method === 'crop' ? 'cover' : 'inside',
            withoutEnlargement: request.method === 'scale',
          })
          .timeout({ seconds: this.#timeoutSeconds });
        let type: string;
        if (animated) {
          type = info.format === 'gif' ? 'image/gif' : 'image/webp';
          pipeline = info.format === 'gif' ? pipeline.gif() : pipeline.webp();
        } else if (info.format === 'jpeg') {
          type = 'image/jpeg';
          pipeline = pipeline.jpeg({ quality: 80 });
        } else {
          type = 'image/png';
          pipeline = pipeline.png();
        }
        const { data, info: out } = await pipeline.toBuffer({ resolveWithObject: true });
        const height = animated ? (out.pageHeight ?? out.height) : out.height;
        return { data, width: out.width, height, type };
      } catch (error) {
        throw new UnreadableImageError(`cannot thumbnail the image: ${(error as Error).message}`);
      }
    });
  }

  async #withSlot<T>(work: () => Promise<T>): Promise<T> {
    if (this.#running >= this.#slots) await new Promise<void>((resolve) => this.#queue.push(resolve));
    this.#running += 1;
    try {
      return await work();
    } finally {
      this.#running -= 1;
      this.#queue.shift()?.();
    }
  }
}
