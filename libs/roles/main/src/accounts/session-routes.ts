// Sessions: /login (m.login.password), /logout, /logout/all, /account/whoami and /refresh.
// Devices a login creates or a logout deletes are device-list changes (device_lists stream).
import { MatrixError, RateLimiter, clientPaths, forbidden, limitExceeded, unknownToken } from '@homeserver/http';
import { Appservices, hashToken, recordDeviceListChanges, requesterOf } from '@homeserver/services';
import {
  deleteAccessToken,
  deleteDevices,
  findUserCaseInsensitive,
  getDevice,
  listDevices,
  lookupRefreshToken,
  replaceRefreshToken,
} from '@homeserver/storage';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AccountsDeps } from './accounts-deps.ts';
import { APPSERVICE_LOGIN_TYPE, appserviceOfRequest } from './appservice-accounts.ts';
import { issueSession, mintTokens } from './credentials.ts';
import { verifyPassword } from './password-hash.ts';
import { refreshFields } from './register-routes.ts';
import { resolveUserIdentifier } from './user-identifier.ts';

const loginBody = {
  type: 'object',
  required: ['type'],
  properties: {
    type: { type: 'string' },
    identifier: { type: 'object' },
    user: { type: 'string' },
    password: { type: 'string', maxLength: 512 },
    device_id: { type: 'string', minLength: 1, maxLength: 512 },
    initial_device_display_name: { type: 'string', maxLength: 1000 },
    refresh_token: { type: 'boolean' },
  },
} as const;

interface LoginBody {
  type: string;
  identifier?: Record<string, unknown>;
  user?: string;
  password?: string;
  device_id?: string;
  initial_device_display_name?: string;
  refresh_token?: boolean;
}

export function registerSessionRoutes(app: FastifyInstance, deps: AccountsDeps): void {
  const { db, settings, clock, auth, deviceLists } = deps;
  const now = () => clock.now();
  const limits = settings.rateLimits ?? {};
  const byAddress = new RateLimiter(limits.loginAddress ?? { per_second: 0.003, burst_count: 5 }, { now });
  const byAccount = new RateLimiter(limits.loginAccount ?? { per_second: 0.003, burst_count: 5 }, { now });
  const failures = new RateLimiter(limits.loginFailedAttempts ?? { per_second: 0.17, burst_count: 3 }, { now });
  const authed = { preHandler: auth.preHandler() };

  const passwordLogin = async (request: FastifyRequest, body: LoginBody): Promise<{ userId: string }> => {
    const waitAddress = byAddress.check(request.ip);
    if (waitAddress > 0) throw limitExceeded(waitAddress);
    if (body.type !== 'm.login.password') throw new MatrixError(400, 'M_UNKNOWN', `login type ${JSON.stringify(body.type)} is not supported`);
    if (body.password === undefined) throw new MatrixError(400, 'M_BAD_JSON', 'missing body field "password"');
    const claimed = resolveUserIdentifier(body as unknown as Record<string, unknown>, settings.serverName);
    const waitAccount = Math.max(byAccount.check(claimed), failures.check(claimed, { update: false }));
    if (waitAccount > 0) throw limitExceeded(waitAccount);
    const user = await findUserCaseInsensitive(db, claimed);
    if (user === undefined || user.deactivated || !(await verifyPassword(body.password, user.passwordHash))) {
      failures.record(claimed);
      if (user?.deactivated === true) throw new MatrixError(403, 'M_USER_DEACTIVATED', 'This account has been deactivated');
      throw forbidden('Invalid username or password');
    }
    failures.reset(claimed);
    return user;
  };

  // An appservice logs in a user of its namespace with its as_token (no password, no throttle).
  const appserviceLogin = async (request: FastifyRequest, body: LoginBody): Promise<{ userId: string }> => {
    const appservice = appserviceOfRequest(request, deps.appservices);
    const claimed = resolveUserIdentifier(body as unknown as Record<string, unknown>, settings.serverName);
    if (!Appservices.mayActAs(appservice, claimed)) throw forbidden(`Invalid user: ${claimed} is outside the application service's users namespace`);
    const user = await findUserCaseInsensitive(db, claimed);
    if (user === undefined) throw forbidden(`Invalid user: ${claimed} is not registered`);
    if (user.deactivated) throw new MatrixError(403, 'M_USER_DEACTIVATED', 'This account has been deactivated');
    return user;
  };

  for (const url of clientPaths('/login', { v1: true })) {
    app.get(url, async () => ({ flows: [{ type: 'm.login.password' }, ...(deps.appservices?.all.length ? [{ type: APPSERVICE_LOGIN_TYPE }] : [])] }));
    app.post<{ Body: LoginBody }>(url, { schema: { body: loginBody } }, async (request) => {
      const body = request.body;
      const user = body.type === APPSERVICE_LOGIN_TYPE ? await appserviceLogin(request, body) : await passwordLogin(request, body);
      const { value: session } = await deviceLists.write((tx) =>
        issueSession(tx, user.userId, {
          deviceId: body.device_id,
          displayName: body.initial_device_display_name,
          refresh: body.refresh_token === true,
          now: clock.now(),
          lifetimeMs: settings.accessTokenLifetimeMs,
          ip: request.ip,
        }),
      );
      const wellKnown = settings.publicBaseUrl === undefined ? {} : { well_known: { 'm.homeserver': { base_url: settings.publicBaseUrl } } };
      return {
        user_id: session.user_id,
        access_token: session.access_token,
        device_id: session.device_id,
        home_server: settings.serverName,
        ...refreshFields(session),
        ...wellKnown,
      };
    });
  }

  for (const url of clientPaths('/logout', { v1: true })) {
    app.post(url, authed, async (request) => {
      const requester = requesterOf(request);
      // Logging out ends the device: its keys and other tokens go too (as in Synapse).
      await deviceLists.write(async (tx) => {
        await deleteAccessToken(tx, requester.accessTokenId);
        const deleted = await deleteDevices(tx, requester.userId, [requester.deviceId]);
        await recordDeviceListChanges(tx, { userId: requester.userId, deviceIds: deleted });
      });
      return {};
    });
  }

  for (const url of clientPaths('/logout/all', { v1: true })) {
    app.post(url, authed, async (request) => {
      const requester = requesterOf(request);
      await deviceLists.write(async (tx) => {
        const devices = await listDevices(tx, requester.userId);
        const deleted = await deleteDevices(tx, requester.userId, devices.map((d) => d.deviceId));
        await tx.query('DELETE FROM access_tokens WHERE user_id = $1', [requester.userId]);
        await recordDeviceListChanges(tx, { userId: requester.userId, deviceIds: deleted });
      });
      return {};
    });
  }

  for (const url of clientPaths('/account/whoami')) {
    app.get(url, authed, async (request) => {
      const requester = requesterOf(request);
      // An appservice's as_token has no device behind it (device_id is optional in the spec).
      return { user_id: requester.userId, ...(requester.deviceId === '' ? {} : { device_id: requester.deviceId }), is_guest: requester.isGuest };
    });
  }

  for (const url of [...clientPaths('/refresh'), '/_matrix/client/v1/refresh']) {
    app.post<{ Body: { refresh_token: string } }>(
      url,
      { schema: { body: { type: 'object', required: ['refresh_token'], properties: { refresh_token: { type: 'string' } } } } },
      async (request) => {
        const old = await lookupRefreshToken(db, hashToken(request.body.refresh_token));
        if (old === undefined || (await getDevice(db, old.userId, old.deviceId)) === undefined) throw unknownToken('Unknown refresh token');
        const session = await db.transaction(async (tx) => {
          const minted = await mintTokens(tx, old.userId, old.deviceId, { refresh: true, now: clock.now(), lifetimeMs: settings.accessTokenLifetimeMs });
          await replaceRefreshToken(tx, old.id, minted.refreshTokenId!);
          return minted;
        });
        return { access_token: session.access_token, refresh_token: session.refresh_token, expires_in_ms: session.expires_in_ms };
      },
    );
  }
}
