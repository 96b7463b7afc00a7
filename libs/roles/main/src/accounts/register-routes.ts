// Registration: /register (user-interactive, m.login.dummy), /register/available and Synapse's
// shared-secret admin registration (/_synapse/admin/v1/register, HMAC-SHA1 over a nonce).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { MatrixError, RateLimiter, badJson, clientPaths, forbidden, limitExceeded } from '@homeserver/http';
import { sharedSecretMac } from '@homeserver/matrix';
import { completeRegistrationToken, getUser, insertUser, isRegistrationTokenValid, upgradeGuestUser } from '@homeserver/storage';
import type { FastifyInstance } from 'fastify';
import { checkGuestUpgrade, registerGuest } from '../guest/guest-registration.ts';
import type { AccountsDeps } from './accounts-deps.ts';
import { APPSERVICE_LOGIN_TYPE, appserviceOfRequest, appserviceUserId, checkNotExclusive } from './appservice-accounts.ts';
import { issueSession } from './credentials.ts';
import { hashPassword } from './password-hash.ts';
import type { UserInteractiveAuth } from './uia.ts';
import { userIdForUsername } from './username.ts';

const NONCE_LIFETIME_MS = 60_000;

const registerBody = {
  type: 'object',
  properties: {
    username: { type: 'string' },
    password: { type: 'string', maxLength: 512 },
    device_id: { type: 'string', minLength: 1, maxLength: 512 },
    initial_device_display_name: { type: 'string', maxLength: 1000 },
    inhibit_login: { type: 'boolean' },
    refresh_token: { type: 'boolean' },
    auth: { type: 'object' },
    type: { type: 'string' },
    guest_access_token: { type: 'string' },
  },
} as const;

const adminRegisterBody = {
  type: 'object',
  required: ['nonce', 'username', 'password', 'mac'],
  properties: {
    nonce: { type: 'string' },
    username: { type: 'string' },
    password: { type: 'string', maxLength: 512 },
    displayname: { type: 'string' },
    admin: { type: 'boolean' },
    user_type: { type: ['string', 'null'] },
    mac: { type: 'string' },
  },
} as const;

/** What a registration session remembers: the request's parameters, its password hashed. */
type RememberedParams = Omit<RegisterBody, 'password' | 'auth'> & { password_hash?: string };

interface RegisterBody {
  username?: string;
  password?: string;
  device_id?: string;
  initial_device_display_name?: string;
  inhibit_login?: boolean;
  refresh_token?: boolean;
  auth?: unknown;
  /** m.login.application_service: an appservice registers a user of its namespace. */
  type?: string;
  /** A guest's token: registering the guest's own user ID upgrades that guest. */
  guest_access_token?: string;
}

export function registerRegistrationRoutes(app: FastifyInstance, deps: AccountsDeps, uia: UserInteractiveAuth): void {
  const { db, settings, clock, deviceLists } = deps;
  const limiter = new RateLimiter(settings.rateLimits?.registration ?? { per_second: 0.17, burst_count: 3 }, { now: () => clock.now() });
  const nonces = new Map<string, number>();
  const rateLimit = (ip: string): void => {
    const wait = limiter.check(ip);
    if (wait > 0) throw limitExceeded(wait);
  };

  /** The registration answer: a new session for the user, or the user ID alone under inhibit_login. */
  const issueFor = async (tx: Parameters<Parameters<typeof deviceLists.write>[0]>[0], userId: string, body: RememberedParams, ip: string, now: number): Promise<Record<string, unknown>> => {
    if (body.inhibit_login === true) return { user_id: userId };
    const session = await issueSession(tx, userId, {
      deviceId: body.device_id,
      displayName: body.initial_device_display_name,
      refresh: body.refresh_token === true,
      now,
      lifetimeMs: settings.accessTokenLifetimeMs,
      ip,
    });
    return { user_id: session.user_id, access_token: session.access_token, device_id: session.device_id, ...refreshFields(session) };
  };
  const login = async (userId: string, body: RememberedParams, ip: string): Promise<Record<string, unknown>> =>
    (await deviceLists.write((tx) => issueFor(tx, userId, body, ip, clock.now()))).value;

  for (const url of clientPaths('/register')) {
    app.post<{ Body: RegisterBody; Querystring: { kind?: string } }>(
      url,
      { schema: { body: registerBody, querystring: { type: 'object', properties: { kind: { type: 'string', enum: ['user', 'guest'] } } } } },
      async (request) => {
        if (request.query.kind === 'guest') {
          rateLimit(request.ip);
          return registerGuest(deps, { initialDeviceDisplayName: request.body?.initial_device_display_name, ip: request.ip });
        }
        // Appservices register their users whatever enable_registration says, unthrottled (Synapse).
        if (request.body?.type === APPSERVICE_LOGIN_TYPE) {
          const appservice = appserviceOfRequest(request, deps.appservices);
          const { type: _type, auth: _auth, password: _password, ...params } = request.body;
          const userId = appserviceUserId(appservice, deps.appservices!, params.username?.toLowerCase(), settings.serverName);
          const now = clock.now();
          const { value } = await deviceLists.write(async (tx) => {
            if (!(await insertUser(tx, { userId, passwordHash: null, createdTs: now, displayname: userId.slice(1, userId.indexOf(':')) }))) {
              throw new MatrixError(400, 'M_USER_IN_USE', `user ID ${userId} is already taken`);
            }
            return issueFor(tx, userId, params, request.ip, now);
          });
          return value;
        }
        if (settings.enableRegistration !== true) throw forbidden('Registration has been disabled');
        rateLimit(request.ip);
        const { auth, password, type: _type, ...rest } = request.body ?? {};
        // As Synapse: the request that opened the session fixed the parameters; later stages may
        // send `auth` alone. The session keeps the password hashed, never in clear. A session
        // that already registered someone logs them in again.
        const given: RememberedParams = password === undefined ? rest : { ...rest, password_hash: await hashPassword(password, { cost: settings.passwordHashCost }) };
        const session = await uia.sessionOf(auth);
        const body: RememberedParams = Object.keys(given).length > 0 ? given : ((session?.clientDict as RememberedParams | null) ?? {});
        // With registration_requires_token the one flow is the token stage (Synapse's flows then).
        const flows = settings.registrationRequiresToken === true ? [['m.login.registration_token']] : [['m.login.dummy']];
        if (session?.registeredUserId) {
          await uia.check(auth, { flows, uri: '/register', method: 'POST', keepCompleted: true });
          return login(session.registeredUserId, body, request.ip);
        }
        // Check the name before the auth dance so clients learn about a taken name early.
        let userId: string | undefined;
        const upgrading = body.guest_access_token !== undefined;
        if (body.username !== undefined) {
          userId = userIdForUsername(body.username.toLowerCase(), settings.serverName);
          if (upgrading) await checkGuestUpgrade(deps, userId, body.guest_access_token!);
          else if ((await getUser(db, userId)) !== undefined) throw new MatrixError(400, 'M_USER_IN_USE', `user ID ${userId} is already taken`);
          checkNotExclusive(deps.appservices, userId);
        }
        const { sessionId, registrationToken } = await uia.check(auth, { flows, uri: '/register', method: 'POST', clientDict: given, keepCompleted: true });
        userId ??= `@${randomBytes(6).toString('hex')}:${settings.serverName}`;
        const passwordHash = body.password_hash ?? null;
        const now = clock.now();
        const localpart = userId.slice(1, userId.indexOf(':'));
        const { value } = await deviceLists.write(async (tx) => {
          const created = upgrading && body.username !== undefined
            ? await upgradeGuestUser(tx, userId!, passwordHash)
            : await insertUser(tx, { userId: userId!, passwordHash, createdTs: now, displayname: localpart });
          if (!created) throw new MatrixError(400, 'M_USER_IN_USE', `user ID ${userId} is already taken`);
          if (registrationToken !== undefined) await completeRegistrationToken(tx, registrationToken);
          return issueFor(tx, userId!, body, request.ip, now);
        });
        await uia.markRegistered(sessionId, userId);
        return value;
      },
    );
  }

  for (const url of clientPaths('/register/available')) {
    app.get<{ Querystring: { username: string } }>(
      url,
      { schema: { querystring: { type: 'object', required: ['username'], properties: { username: { type: 'string' } } } } },
      async (request) => {
        rateLimit(request.ip);
        const userId = userIdForUsername(request.query.username.toLowerCase(), settings.serverName);
        if ((await getUser(db, userId)) !== undefined) throw new MatrixError(400, 'M_USER_IN_USE', `user ID ${userId} is already taken`);
        checkNotExclusive(deps.appservices, userId);
        return { available: true };
      },
    );
  }

  app.get<{ Querystring: { token: string } }>(
    '/_matrix/client/v1/register/m.login.registration_token/validity',
    { schema: { querystring: { type: 'object', required: ['token'], properties: { token: { type: 'string', maxLength: 64 } } } } },
    async (request) => {
      rateLimit(request.ip);
      if (settings.enableRegistration !== true) throw forbidden('Registration has been disabled');
      return { valid: await isRegistrationTokenValid(db, request.query.token, clock.now()) };
    },
  );

  app.get('/_synapse/admin/v1/register', async () => {
    if (settings.registrationSharedSecret === undefined) throw badJson('Shared secret registration is not enabled');
    const now = clock.now();
    for (const [nonce, created] of nonces) if (created < now - NONCE_LIFETIME_MS) nonces.delete(nonce);
    const nonce = randomBytes(32).toString('hex');
    nonces.set(nonce, now);
    return { nonce };
  });

  app.post<{ Body: { nonce: string; username: string; password: string; displayname?: string; admin?: boolean; user_type?: string | null; mac: string } }>(
    '/_synapse/admin/v1/register',
    { schema: { body: adminRegisterBody } },
    async (request) => {
      const secret = settings.registrationSharedSecret;
      if (secret === undefined) throw badJson('Shared secret registration is not enabled');
      const body = request.body;
      const created = nonces.get(body.nonce);
      if (created === undefined || created < clock.now() - NONCE_LIFETIME_MS) throw badJson('unrecognised nonce');
      nonces.delete(body.nonce);
      const given = Buffer.from(body.mac, 'hex');
      const expected = sharedSecretMac(secret, body);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw forbidden('HMAC incorrect');
      const userId = userIdForUsername(body.username, settings.serverName);
      const passwordHash = await hashPassword(body.password, { cost: settings.passwordHashCost });
      const now = clock.now();
      const { value } = await deviceLists.write(async (tx) => {
        const inserted = await insertUser(tx, {
          userId,
          passwordHash,
          createdTs: now,
          admin: body.admin === true,
          displayname: body.displayname ?? body.username,
        });
        if (!inserted) throw new MatrixError(400, 'M_USER_IN_USE', `user ID ${userId} is already taken`);
        const session = await issueSession(tx, userId, { now, ip: request.ip });
        return { access_token: session.access_token, user_id: userId, home_server: settings.serverName, device_id: session.device_id };
      });
      return value;
    },
  );
}

/** The refresh fields of a session, present only when a refresh token was issued. */
export function refreshFields(session: { refresh_token?: string; expires_in_ms?: number }): Record<string, unknown> {
  return session.refresh_token === undefined ? {} : { refresh_token: session.refresh_token, expires_in_ms: session.expires_in_ms };
}
