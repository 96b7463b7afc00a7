// Access-token authentication every role uses: resolves a token (by its SHA-256 digest) to the
// Requester, refusing unknown, expired and deactivated-user tokens. Owned by CS-accounts.
import { createHash } from 'node:crypto';
import { requireAuth, accessTokenOf, missingToken, unknownToken, type TokenResolution } from '@homeserver/http';
import { lookupAccessToken, markAccessTokenUsed, type Database } from '@homeserver/storage';
import type { FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { Requester } from './requester.ts';
import { systemClock, type Clock } from './server-context.ts';

/** The digest under which a token is stored; the clear token is never persisted. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export interface AccessTokenAuthOptions {
  /** Default: the system clock. */
  readonly clock?: Clock;
}

export class AccessTokenAuth {
  readonly #db: Database;
  readonly #clock: Clock;

  constructor(db: Database, options: AccessTokenAuthOptions = {}) {
    this.#db = db;
    this.#clock = options.clock ?? systemClock;
  }

  /** Who owns `token`, or why nobody does. */
  async resolve(token: string): Promise<TokenResolution<Requester>> {
    const info = await lookupAccessToken(this.#db, hashToken(token));
    if (info === undefined || info.deactivated) return { kind: 'unknown' };
    if (info.validUntilMs !== null && info.validUntilMs <= this.#clock.now()) return { kind: 'expired' };
    if (!info.used && info.refreshTokenId !== null) {
      await this.#db.transaction((tx) => markAccessTokenUsed(tx, info.id, info.refreshTokenId));
    }
    return {
      kind: 'ok',
      requester: { userId: info.userId, deviceId: info.deviceId, accessTokenId: info.id, isGuest: info.isGuest },
    };
  }

  /** The requester of a request, or a thrown 401 MatrixError. */
  readonly authenticate = async (request: FastifyRequest): Promise<Requester> => {
    const token = accessTokenOf(request);
    if (token === undefined) throw missingToken();
    const resolution = await this.resolve(token);
    if (resolution.kind === 'expired') throw unknownToken('Access token has expired', true);
    if (resolution.kind === 'unknown') throw unknownToken();
    return resolution.requester;
  };

  /** A preHandler setting `request.requester` (read it with requesterOf). */
  preHandler(options: { optional?: boolean } = {}): preHandlerAsyncHookHandler {
    return requireAuth((token) => this.resolve(token), options);
  }
}

/** The requester a preHandler attached; throws if the route has no auth preHandler. */
export function requesterOf(request: FastifyRequest): Requester {
  const requester = (request as unknown as { requester?: Requester }).requester;
  if (requester === undefined) throw missingToken();
  return requester;
}
