// Synapse's per-user moderation admin API: shadow bans (/v1/users/{userId}/shadow_ban: the
// user's sends and invites answer success without reaching anyone), message rate-limit
// overrides (/v1/users/{userId}/override_ratelimit) and logging in as a user (/v1/users/{userId}/login).
import { MatrixError, notFound } from '@homeserver/http';
import { hashToken } from '@homeserver/services';
import { getRatelimitOverride, getUser, setAccessTokenExpiry, setRatelimitOverride, setUserFlags } from '@homeserver/storage';
import type { FastifyInstance } from 'fastify';
import { issueSession } from '../accounts/credentials.ts';
import type { AdminDeps } from './admin-deps.ts';
import { adminRoute, localUserParam, logAdminAction } from './admin-route.ts';
import type { MessageRateLimits } from './message-rate-limits.ts';

const userParams = { type: 'object', required: ['userId'], properties: { userId: { type: 'string' } } } as const;
const NON_NEGATIVE_INT = { type: 'integer', minimum: 0, maximum: 1_000_000_000 } as const;

export function registerUserModerationRoutes(app: FastifyInstance, deps: AdminDeps, limits: MessageRateLimits): void {
  const { db, auth, serverName, clock, deviceLists } = deps;
  const knownUser = async (raw: string): Promise<string> => {
    const userId = localUserParam(raw, serverName);
    if ((await getUser(db, userId)) === undefined) throw notFound('User not found');
    return userId;
  };

  for (const [method, banned] of [['POST', true], ['DELETE', false]] as const) {
    adminRoute<{ Params: { userId: string } }>(app, auth, method, '/_synapse/admin/v1/users/:userId/shadow_ban', { params: userParams }, async (request, admin) => {
      const userId = await knownUser(request.params.userId);
      logAdminAction(request, admin, banned ? 'shadow-ban user' : 'lift shadow ban', { user_id: userId });
      await setUserFlags(db, userId, { shadowBanned: banned });
      return {};
    });
  }

  const overrideJson = (o: { messagesPerSecond: number; burstCount: number }) => ({ messages_per_second: o.messagesPerSecond, burst_count: o.burstCount });
  adminRoute<{ Params: { userId: string } }>(app, auth, 'GET', '/_synapse/admin/v1/users/:userId/override_ratelimit', { params: userParams }, async (request) => {
    const override = await getRatelimitOverride(db, await knownUser(request.params.userId));
    return override === undefined ? {} : overrideJson(override);
  });
  adminRoute<{ Params: { userId: string }; Body: { messages_per_second?: number; burst_count?: number } }>(
    app,
    auth,
    'POST',
    '/_synapse/admin/v1/users/:userId/override_ratelimit',
    { params: userParams, body: { type: ['object', 'null'], properties: { messages_per_second: NON_NEGATIVE_INT, burst_count: NON_NEGATIVE_INT } } },
    async (request, admin) => {
      const userId = await knownUser(request.params.userId);
      // Synapse: an absent value is 0, and 0/0 exempts the user.
      const override = { messagesPerSecond: request.body?.messages_per_second ?? 0, burstCount: request.body?.burst_count ?? 0 };
      logAdminAction(request, admin, 'override rate limit', { user_id: userId, ...overrideJson(override) });
      await setRatelimitOverride(db, userId, override);
      limits.set(userId, override);
      return overrideJson(override);
    },
  );
  adminRoute<{ Params: { userId: string } }>(app, auth, 'DELETE', '/_synapse/admin/v1/users/:userId/override_ratelimit', { params: userParams }, async (request, admin) => {
    const userId = await knownUser(request.params.userId);
    logAdminAction(request, admin, 'remove rate limit override', { user_id: userId });
    await setRatelimitOverride(db, userId, undefined);
    limits.remove(userId);
    return {};
  });

  adminRoute<{ Params: { userId: string }; Body: { valid_until_ms?: number } }>(
    app,
    auth,
    'POST',
    '/_synapse/admin/v1/users/:userId/login',
    { params: userParams, body: { type: ['object', 'null'], properties: { valid_until_ms: { type: 'integer', minimum: 0 } } } },
    async (request, admin) => {
      const userId = await knownUser(request.params.userId);
      if (userId === admin.userId) throw new MatrixError(400, 'M_UNKNOWN', 'Cannot use admin API to login as self');
      const validUntil = request.body?.valid_until_ms;
      logAdminAction(request, admin, 'login as user', { user_id: userId, ...(validUntil === undefined ? {} : { valid_until_ms: validUntil }) });
      // Synapse mints a token without a device; tokens here belong to a device, so the session
      // gets one named after the admin (the user sees it in their device list and can end it).
      const now = clock.now();
      const { value } = await deviceLists.write((tx) =>
        issueSession(tx, userId, {
          displayName: `Admin login by ${admin.userId}`,
          now,
        }),
      );
      if (validUntil !== undefined) await setAccessTokenExpiry(db, hashToken(value.access_token), validUntil);
      return { access_token: value.access_token };
    },
  );
}
