// GET /preview_url: the OpenGraph summary of a page (or of an image URL), with its image
// stored as local media so clients load it from this server (og:image becomes an mxc:// URI).
// Answers are cached per URL for an hour in this process, so a link posted in a busy room
// is fetched once.
import { Readable } from 'node:stream';
import type { UrlPreviewConfig } from '@homeserver/config';
import type { Clock } from '@homeserver/services';
import type { Logger } from 'pino';
import type { MediaRepository } from '../media-repository.ts';
import { GuardedFetcher, type FetchedBody } from './guarded-fetch.ts';

const CACHE_MS = 3_600_000;
const CACHE_ENTRIES = 1000;

export class UrlPreviewer {
  readonly #fetcher: GuardedFetcher;
  readonly #repository: MediaRepository;
  readonly #serverName: string;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #cache = new Map<string, { expires: number; preview: Record<string, unknown> }>();

  constructor(options: { config: UrlPreviewConfig; repository: MediaRepository; serverName: string; clock: Clock; logger: Logger }) {
    this.#fetcher = new GuardedFetcher({ blacklist: options.config.ipRangeBlacklist, whitelist: options.config.ipRangeWhitelist, maxBytes: options.config.maxSpiderSize });
    this.#repository = options.repository;
    this.#serverName = options.serverName;
    this.#clock = options.clock;
    this.#logger = options.logger;
  }

  async preview(url: URL, userId: string): Promise<Record<string, unknown>> {
    const key = url.href;
    const now = this.#clock.now();
    const cached = this.#cache.get(key);
    if (cached !== undefined && cached.expires > now) return cached.preview;
    const page = await this.#fetcher.fetch(url);
    let preview: Record<string, unknown>;
    if (/^image\//i.test(page.contentType)) {
      preview = await this.#imageFields(page, userId);
    } else if (/html/i.test(page.contentType)) {
      // Imported by the first HTML preview: htmlparser2 and its DOM helpers (~0.3 MB of source)
      // are otherwise resident in every process hosting the media role, previews or not.
      const { openGraphOf } = await import('./open-graph.ts');
      const og: Record<string, unknown> = openGraphOf(page.body.toString('utf8'));
      const image = og['og:image'];
      if (typeof image === 'string') {
        delete og['og:image'];
        try {
          Object.assign(og, await this.#imageFields(await this.#fetcher.fetch(new URL(image, page.url)), userId));
        } catch (error) {
          // The page's summary stands without its picture.
          this.#logger.info({ err: error, image }, 'preview image not fetched');
        }
      }
      preview = og;
    } else {
      preview = {};
    }
    if (this.#cache.size >= CACHE_ENTRIES) this.#cache.delete(this.#cache.keys().next().value!);
    this.#cache.set(key, { expires: now + CACHE_MS, preview });
    return preview;
  }

  async #imageFields(image: FetchedBody, userId: string): Promise<Record<string, unknown>> {
    if (!/^image\//i.test(image.contentType)) return {};
    const mediaId = await this.#repository.upload(Readable.from([image.body]), { userId, contentType: image.contentType, uploadName: undefined, declaredLength: image.body.length });
    return { 'og:image': `mxc://${this.#serverName}/${mediaId}`, 'og:image:type': image.contentType, 'matrix:image:size': image.body.length };
  }
}
