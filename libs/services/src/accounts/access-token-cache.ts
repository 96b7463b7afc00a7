// Who owns each access token, remembered per process so that a request costs no statement for
// its token (issue 14). Every change that can alter a token's answer, made by any process on any
// code path, NOTIFYs the owner's user ID (migration 2001's triggers); the cache listens and
// forgets the user's tokens when the change commits. While it is not listening (before start,
// after its connection died, until it listens again) it remembers nothing, so a missed
// notification can never leave a revoked token accepted.
import { listenToAccessTokenChanges, type AccessTokenInfo, type Database } from '@homeserver/storage';
import { KeptListening } from '../process/kept-listening.ts';

export interface AccessTokenCacheOptions {
  /** Most tokens remembered (least recently used go first). Default: 100000. */
  readonly maxTokens?: number;
  /** Wait before listening again after the connection died. Default: 1000 ms. */
  readonly relistenMs?: number;
  /** Default: silent. */
  readonly logger?: { warn(details: object, message: string): void };
}

export class AccessTokenCache {
  /** Token digest -> its row, in least-recently-used order. */
  readonly #byHash = new Map<string, AccessTokenInfo>();
  readonly #byUser = new Map<string, Set<string>>();
  readonly #max: number;
  /** Bumped by every forgetting: a lookup that overlapped one is not kept (it may predate it). */
  #generation = 0;
  #listening: KeptListening | undefined;

  private constructor(options: AccessTokenCacheOptions) {
    this.#max = options.maxTokens ?? 100_000;
  }

  /** A cache listening for token changes (it fails when it cannot LISTEN). */
  static async start(db: Database, options: AccessTokenCacheOptions = {}): Promise<AccessTokenCache> {
    const cache = new AccessTokenCache(options);
    cache.#listening = await KeptListening.start(() => listenToAccessTokenChanges(db, (userId) => cache.forgetUser(userId)), {
      what: 'access-token cache (every request reads its token meanwhile)',
      // Changes made until it listens again are not heard: remember nothing meanwhile.
      onLost: () => cache.#forgetAll(),
      relistenMs: options.relistenMs,
      logger: options.logger,
    });
    return cache;
  }

  /** Tokens remembered now (for tests and metrics). */
  get size(): number {
    return this.#byHash.size;
  }

  /** Tokens held and the bound (maxTokens), for the cache_* metrics. */
  stats(): { entries: number; maxSize: number } {
    return { entries: this.#byHash.size, maxSize: this.#max };
  }

  /** The stored row of a token digest, from memory when it is known there, else `lookup`'s. */
  async resolve(hash: string, lookup: (hash: string) => Promise<AccessTokenInfo | undefined>): Promise<AccessTokenInfo | undefined> {
    const hit = this.#byHash.get(hash);
    if (hit) {
      this.#byHash.delete(hash);
      this.#byHash.set(hash, hit);
      return hit;
    }
    const generation = this.#generation;
    const info = await lookup(hash);
    // Unknown tokens are not remembered (a guess costs its lookup); nor is a row read while a
    // change of any user's tokens committed, or while not listening.
    if (info !== undefined && generation === this.#generation && this.#listening?.listening === true) this.#remember(hash, info);
    return info;
  }

  /** Forgets every token of `userId` (their change committed). */
  forgetUser(userId: string): void {
    this.#generation++;
    for (const hash of this.#byUser.get(userId) ?? []) this.#byHash.delete(hash);
    this.#byUser.delete(userId);
  }

  async stop(): Promise<void> {
    await this.#listening?.stop();
    this.#forgetAll();
  }

  #remember(hash: string, info: AccessTokenInfo): void {
    this.#byHash.set(hash, info);
    let hashes = this.#byUser.get(info.userId);
    if (!hashes) this.#byUser.set(info.userId, (hashes = new Set()));
    hashes.add(hash);
    if (this.#byHash.size <= this.#max) return;
    const [oldest, row] = this.#byHash.entries().next().value!;
    this.#byHash.delete(oldest);
    const ofUser = this.#byUser.get(row.userId);
    ofUser?.delete(oldest);
    if (ofUser?.size === 0) this.#byUser.delete(row.userId);
  }

  #forgetAll(): void {
    this.#generation++;
    this.#byHash.clear();
    this.#byUser.clear();
  }
}
