// Writes a request body to a file as it arrives, never holding it whole in memory: bytes are
// hashed and counted on the way, the socket is paused while the disk catches up, and a body
// that grows past the limit stops being written (the rest is read and dropped by Node so the
// connection stays usable) and the partial file is removed.
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

export interface StoredBody {
  readonly path: string;
  readonly length: number;
  readonly sha256: string;
}

export class BodyTooLargeError extends Error {
  override name = 'BodyTooLargeError';
  readonly limit: number;
  constructor(limit: number) {
    super(`upload is larger than the ${limit}-byte limit (max_upload_size)`);
    this.limit = limit;
  }
}

export class BodyAbortedError extends Error {
  override name = 'BodyAbortedError';
}

export interface WriteBodyOptions {
  /** Folder for the file (created if missing). */
  readonly dir: string;
  /** Most bytes accepted. */
  readonly maxBytes: number;
}

/** Streams `source` into a fresh file in `dir`; the caller renames or removes it. */
export async function writeBodyToFile(source: Readable, options: WriteBodyOptions): Promise<StoredBody> {
  await mkdir(options.dir, { recursive: true });
  const path = join(options.dir, `${Date.now()}-${randomBytes(8).toString('hex')}`);
  // 1 MiB of buffered writes per upload before the socket is paused: fewer pause/resume
  // round trips than the 16 KiB default, and still a small, fixed bound per upload.
  const file = createWriteStream(path, { flags: 'wx', highWaterMark: 1024 * 1024 });
  const hash = createHash('sha256');
  let length = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      let settled = false;
      const finish = (error?: Error) => {
        if (settled) return;
        settled = true;
        source.off('data', onData);
        source.off('end', onEnd);
        source.off('error', onError);
        source.off('aborted', onAborted);
        file.off('drain', onDrain);
        if (error) {
          // Keep reading (and dropping) what is left so a response can still be sent.
          source.resume();
          file.destroy();
          reject(error);
        } else {
          resolve();
        }
      };
      const onData = (chunk: Buffer) => {
        length += chunk.length;
        if (length > options.maxBytes) return finish(new BodyTooLargeError(options.maxBytes));
        hash.update(chunk);
        if (!file.write(chunk)) source.pause();
      };
      const onDrain = () => source.resume();
      const onEnd = () => file.end(() => finish());
      const onError = (error: Error) => finish(new BodyAbortedError(`the upload was interrupted: ${error.message}`));
      const onAborted = () => finish(new BodyAbortedError('the client aborted the upload'));
      file.on('drain', onDrain);
      file.on('error', (error) => finish(error));
      source.on('data', onData);
      source.on('end', onEnd);
      source.on('error', onError);
      source.on('aborted', onAborted);
      if (source.readableEnded) onEnd();
      else source.resume();
    });
  } catch (error) {
    await rm(path, { force: true });
    throw error;
  }
  return { path, length, sha256: hash.digest('hex') };
}
