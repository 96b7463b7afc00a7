// Access-token authentication every role uses: resolves a token (by its SHA-256 digest) to the
// Requester, refusing unknown, expired and deactivated-user tokens. Owned by CS-accounts. The
// runtime hands `resolve` to the server's route-table hook, which authenticates before body
// validation; `authenticate`, `preHandler` and `requesterOf` reuse what it found, and do the
// lookup themselves where no hook ran (role tests on a bare Fastify app).
import { createHash } from 'node:crypto';
import { MatrixError, authenticateRequest, authenticatedRequester, missingToken, requireAuth, type TokenResolver } from '@homeserver/http';
import type { AppserviceRegistration } from '@homeserver/config';
import { BatchedLookup, getUser, lookupAccessTokens, markAccessTokenUsed, type AccessTokenInfo, type Database } from '@homeserver/storage';
import type { FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { Appservices, noAppservices } from './appservices.ts';
import { guestMayAccess } from './guest-access.ts';
import type { Requester } from '../process/requester.ts';
import type { AccessTokenCache } from './access-token-cache.ts';
import { systemClock, type Clock } from '../process/server-context.ts';

/** The digest under which a token is stored; the clear token is never persisted. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export interface AccessTokenAuthOptions {
  /** Default: the system clock. */
  readonly clock?: Clock;
  /** The configured application services, whose as_tokens authenticate too. Default: none. */
  readonly appservices?: Appservices;
  /** The process's token cache (access-token-cache.ts). Default: none, every request reads its token. */
  readonly cache?: AccessTokenCache;
}

export class AccessTokenAuth {
  readonly #db: Database;
  readonly #clock: Clock;
  readonly #appservices: Appservices;
  readonly #cache: AccessTokenCache | undefined;
  /** Tokens the cache does not hold, of requests arriving together, are looked up in one statement. */
  readonly #tokens: BatchedLookup<string, AccessTokenInfo>;
  readonly #lookup = (hash: string) => this.#tokens.load(hash);

  constructor(db: Database, options: AccessTokenAuthOptions = {}) {
    this.#db = db;
    this.#tokens = new BatchedLookup((digests) => lookupAccessTokens(db, digests), (digest) => digest);
    this.#clock = options.clock ?? systemClock;
    this.#appservices = options.appservices ?? noAppservices;
    this.#cache = options.cache;
  }

  /** Who owns `token`, or why nobody does. */
  readonly resolve: TokenResolver<Requester> = async (token, request) => {
    const appservice = this.#appservices.byToken(token);
    if (appservice !== undefined) return { kind: 'ok', requester: await this.#actingAs(appservice, request) };
    const hash = hashToken(token);
    const info = this.#cache ? await this.#cache.resolve(hash, this.#lookup) : await this.#lookup(hash);
    if (info === undefined || info.deactivated) return { kind: 'unknown' };
    if (info.validUntilMs !== null && info.validUntilMs <= this.#clock.now()) return { kind: 'expired' };
    // Synapse answers a locked account's every request so, soft_logout true (the client keeps its data).
    if (info.locked) throw new MatrixError(401, 'M_USER_LOCKED', 'This account has been locked', { extra: { soft_logout: true } });
    // Guest tokens reach only the endpoints Synapse lets guests use (checked here, so every
    // path that authenticates a request applies it).
    if (info.isGuest && !guestMayAccess(request.method, request.url)) throw new MatrixError(403, 'M_GUEST_ACCESS_FORBIDDEN', 'Guest access not allowed');
    if (!info.used && info.refreshTokenId !== null) {
      await this.#db.transaction((tx) => markAccessTokenUsed(tx, info.id, info.refreshTokenId));
    }
    return {
      kind: 'ok',
      requester: { userId: info.userId, deviceId: info.deviceId, accessTokenId: info.id, isGuest: info.isGuest, admin: info.admin, shadowBanned: info.shadowBanned },
    };
  };

  /**
   * An as_token acts as the appservice's sender, or with `?user_id=` as a user of its users
   * namespace who exists (Synapse's rule: registering them is the appservice's job). There is no
   * device behind it: deviceId is empty and there is no token row to revoke.
   */
  async #actingAs(appservice: AppserviceRegistration, request: FastifyRequest): Promise<Requester> {
    const asked = (request.query as Record<string, unknown> | undefined)?.['user_id'];
    if (asked !== undefined && typeof asked !== 'string') throw new MatrixError(400, 'M_INVALID_PARAM', 'query parameter "user_id" must be given once, as a user ID');
    const userId = asked === undefined || asked === '' ? appservice.sender : asked;
    if (userId !== appservice.sender) {
      if (!Appservices.mayActAs(appservice, userId)) throw new MatrixError(403, 'M_FORBIDDEN', `Application service cannot masquerade as this user (${userId}): it is outside the appservice's users namespace`);
      const user = await getUser(this.#db, userId);
      if (user === undefined || user.deactivated) throw new MatrixError(403, 'M_FORBIDDEN', `Application service has not registered this user (${userId})`);
    }
    return { userId, deviceId: '', accessTokenId: 0, isGuest: false, appserviceId: appservice.id };
  }

  /** The requester of a request (resolved at most once per request), or a thrown 401 MatrixError. */
  readonly authenticate = async (request: FastifyRequest): Promise<Requester> => (await authenticateRequest(request, this.resolve))!;

  /** A preHandler authenticating the request (read the requester with requesterOf). */
  preHandler(options: { optional?: boolean } = {}): preHandlerAsyncHookHandler {
    return requireAuth(this.resolve, options);
  }
}

/** The requester the route-table hook or a preHandler found; throws M_MISSING_TOKEN when there is none. */
export function requesterOf(request: FastifyRequest): Requester {
  const requester = authenticatedRequester<Requester>(request);
  if (requester === undefined) throw missingToken();
  return requester;
}
