// Synapse's user admin API: list (/v2/users), show, create or modify (/v2/users/{userId}),
// deactivate (/v1/deactivate), reset a password (/v1/reset_password), whois (/v1/whois), the
// rooms a user is in (/v1/users/{userId}/joined_rooms) and /v1/username_available.
import { clientPaths, MatrixError, notFound } from '@homeserver/http';
import { notServerAdmin } from '@homeserver/services';
import { getRoomsForUser, getUser, getUserForAdmin, insertUser, listDevices, listUsersForAdmin, setUserAdmin, setUserErased, setUserFlags, updateProfile, USER_ORDER_COLUMNS, type UserOrder } from '@homeserver/storage';
import type { FastifyInstance } from 'fastify';
import { deactivateAccount, setPassword } from '../accounts/account-lifecycle.ts';
import type { AccountRoomHooks } from '../accounts/accounts-deps.ts';
import { hashPassword } from '../accounts/password-hash.ts';
import { userIdForUsername } from '../accounts/username.ts';
import type { AdminDeps } from './admin-deps.ts';
import { AdminReply, BOOL_QUERY, adminRoute, boolQuery, intQuery, localUserParam, logAdminAction, pagingQuery } from './admin-route.ts';
import { userDetails, userListItem } from './user-json.ts';

/** Synapse's built-in user types (its user_types config adds none here). */
const USER_TYPES = ['support', 'bot'];

const userParams = { type: 'object', required: ['userId'], properties: { userId: { type: 'string' } } } as const;

interface UserPut {
  password?: string;
  logout_devices?: boolean;
  displayname?: string | null;
  avatar_url?: string | null;
  admin?: boolean;
  deactivated?: boolean;
  locked?: boolean;
  user_type?: string | null;
  threepids?: unknown[];
  external_ids?: unknown[];
}

const userPutBody = {
  type: 'object',
  properties: {
    password: { type: 'string', maxLength: 512 },
    logout_devices: { type: 'boolean' },
    displayname: { type: ['string', 'null'], maxLength: 256 },
    avatar_url: { type: ['string', 'null'], maxLength: 1000 },
    admin: { type: 'boolean' },
    deactivated: { type: 'boolean' },
    locked: { type: 'boolean' },
    user_type: { type: ['string', 'null'] },
    threepids: { type: 'array' },
    external_ids: { type: 'array' },
  },
} as const;

export function registerUserAdminRoutes(app: FastifyInstance, deps: AdminDeps, accountRooms: AccountRoomHooks): void {
  const { db, auth, serverName, clock } = deps;
  const lifecycle = { deviceLists: deps.deviceLists, rooms: accountRooms, logger: deps.logger };
  const hash = (password: string) => hashPassword(password, { cost: deps.passwordHashCost });

  async function existingUser(userId: string) {
    const user = await getUserForAdmin(db, userId);
    if (user === undefined) throw notFound('User not found');
    return user;
  }

  for (const version of ['v2', 'v3']) {
    adminRoute<{ Querystring: { from?: string; limit?: string; user_id?: string; name?: string; guests?: string; deactivated?: string; admins?: string; locked?: string; order_by?: UserOrder; dir?: 'f' | 'b' } }>(
      app,
      auth,
      'GET',
      `/_synapse/admin/${version}/users`,
      {
        querystring: {
          type: 'object',
          properties: {
            ...pagingQuery,
            user_id: { type: 'string' },
            name: { type: 'string' },
            guests: BOOL_QUERY,
            deactivated: BOOL_QUERY,
            admins: BOOL_QUERY,
            locked: BOOL_QUERY,
            order_by: { type: 'string', enum: Object.keys(USER_ORDER_COLUMNS) },
            dir: { type: 'string', enum: ['f', 'b'] },
          },
        },
      },
      async (request) => {
        const q = request.query;
        const from = intQuery(q.from, 0);
        const limit = intQuery(q.limit, 100);
        const admins = boolQuery(q.admins);
        // v2 lists deactivated users only with deactivated=true (then with the active ones); v3 filters either way.
        const deactivated = version === 'v2' ? (q.deactivated === 'true' ? undefined : false) : boolQuery(q.deactivated);
        const { users, total } = await listUsersForAdmin(db, {
          from,
          limit,
          ...(q.name === undefined ? {} : { name: q.name }),
          ...(q.user_id === undefined ? {} : { userId: q.user_id }),
          guests: boolQuery(q.guests) ?? true,
          ...(deactivated === undefined ? {} : { deactivated }),
          ...(admins === undefined ? {} : { admins }),
          locked: boolQuery(q.locked) ?? false,
          orderBy: q.order_by ?? 'name',
          dir: q.dir ?? 'f',
        });
        const body: Record<string, unknown> = { users: users.map(userListItem), total };
        if (from + limit < total) body['next_token'] = String(from + users.length);
        return body;
      },
    );
  }

  adminRoute<{ Params: { userId: string } }>(app, auth, 'GET', '/_synapse/admin/v2/users/:userId', { params: userParams }, async (request) =>
    userDetails(await existingUser(localUserParam(request.params.userId, serverName))),
  );

  adminRoute<{ Params: { userId: string }; Body: UserPut }>(app, auth, 'PUT', '/_synapse/admin/v2/users/:userId', { params: userParams, body: userPutBody }, async (request, admin) => {
    const userId = localUserParam(request.params.userId, serverName);
    const body = request.body ?? {};
    if ((body.threepids?.length ?? 0) > 0 || (body.external_ids?.length ?? 0) > 0) {
      throw new MatrixError(400, 'M_INVALID_PARAM', 'threepids and external_ids are not supported by this server (no 3PID or SSO logins)');
    }
    if (body.user_type !== undefined && body.user_type !== null && !USER_TYPES.includes(body.user_type)) throw new MatrixError(400, 'M_UNKNOWN', 'Invalid user type');
    if (body.deactivated === true && body.locked === true) throw new MatrixError(400, 'M_UNKNOWN', "An user can't be deactivated and locked");
    const current = await getUser(db, userId);
    // Logged before the work: what was asked, never the password itself.
    logAdminAction(request, admin, current === undefined ? 'create user' : 'modify user', { user_id: userId, fields: Object.keys(body).filter((k) => k !== 'password').concat(body.password === undefined ? [] : ['password']) });
    if (current === undefined) {
      const localpart = userId.slice(1, userId.indexOf(':'));
      userIdForUsername(localpart, serverName);
      const passwordHash = body.password === undefined ? null : await hash(body.password);
      const inserted = await insertUser(db, { userId, passwordHash, createdTs: clock.now(), admin: body.admin === true, ...(typeof body.displayname === 'string' ? { displayname: body.displayname } : { displayname: localpart }) });
      if (!inserted) throw new MatrixError(400, 'M_USER_IN_USE', `user ID ${userId} is already taken`);
      await setUserFlags(db, userId, { ...(body.user_type === undefined ? {} : { userType: body.user_type }), ...(body.locked === undefined ? {} : { locked: body.locked }) });
      if (typeof body.avatar_url === 'string') await updateProfile(db, userId, { avatarUrl: body.avatar_url });
      if (body.deactivated === true) await deactivateAccount(lifecycle, userId);
      return new AdminReply(201, userDetails(await existingUser(userId)));
    }
    const profileChange: { displayname?: string | null; avatar_url?: string | null } = {};
    if ('displayname' in body) profileChange.displayname = body.displayname ?? null;
    if ('avatar_url' in body) profileChange.avatar_url = body.avatar_url ?? null;
    if (Object.keys(profileChange).length > 0) {
      await updateProfile(db, userId, {
        ...(profileChange.displayname === undefined ? {} : { displayname: profileChange.displayname }),
        ...(profileChange.avatar_url === undefined ? {} : { avatarUrl: profileChange.avatar_url }),
      });
      await accountRooms.onProfileChanged(userId, profileChange);
    }
    if (body.admin !== undefined && body.admin !== current.admin) {
      if (userId === admin.userId && !body.admin) throw new MatrixError(400, 'M_UNKNOWN', 'You may not demote yourself.');
      await setUserAdmin(db, userId, body.admin);
    }
    if (body.password !== undefined) await setPassword(lifecycle, userId, await hash(body.password), { logoutDevices: body.logout_devices !== false });
    if (body.deactivated === true && !current.deactivated) await deactivateAccount(lifecycle, userId);
    if (body.deactivated === false && current.deactivated) {
      // Reactivation needs a password to log in with (Synapse asks for one unless SSO exists).
      if (body.password === undefined && current.passwordHash === null) throw new MatrixError(400, 'M_UNKNOWN', 'Must provide a password to re-activate an account.');
      await setUserFlags(db, userId, { deactivated: false });
      await setUserErased(db, userId, false);
    }
    await setUserFlags(db, userId, { ...(body.locked === undefined ? {} : { locked: body.locked }), ...(body.user_type === undefined ? {} : { userType: body.user_type }) });
    return userDetails(await existingUser(userId));
  });

  adminRoute<{ Params: { userId: string }; Body: { erase?: boolean } }>(
    app,
    auth,
    'POST',
    '/_synapse/admin/v1/deactivate/:userId',
    { params: userParams, body: { type: ['object', 'null'], properties: { erase: { type: 'boolean' } } } },
    async (request, admin) => {
      const userId = localUserParam(request.params.userId, serverName);
      await existingUser(userId);
      const erase = request.body?.erase === true;
      logAdminAction(request, admin, 'deactivate user', { user_id: userId, erase });
      await deactivateAccount(lifecycle, userId);
      if (erase) await setUserErased(db, userId, true);
      // No identity-server bindings exist here, so every (zero) unbind succeeded, as Synapse reports.
      return { id_server_unbind_result: 'success' };
    },
  );

  adminRoute<{ Params: { userId: string }; Body: { new_password: string; logout_devices?: boolean } }>(
    app,
    auth,
    'POST',
    '/_synapse/admin/v1/reset_password/:userId',
    {
      params: userParams,
      body: { type: 'object', required: ['new_password'], properties: { new_password: { type: 'string', minLength: 1, maxLength: 512 }, logout_devices: { type: 'boolean' } } },
    },
    async (request, admin) => {
      const userId = localUserParam(request.params.userId, serverName);
      await existingUser(userId);
      logAdminAction(request, admin, 'reset password', { user_id: userId, logout_devices: request.body.logout_devices !== false });
      await setPassword(lifecycle, userId, await hash(request.body.new_password), { logoutDevices: request.body.logout_devices !== false });
      return {};
    },
  );

  adminRoute<{ Params: { userId: string } }>(app, auth, 'GET', '/_synapse/admin/v1/whois/:userId', { params: userParams }, async (request) => {
    const userId = localUserParam(request.params.userId, serverName);
    await existingUser(userId);
    return whois(userId, await listDevices(db, userId));
  });
  // The client API's whois: a server admin, or (as the spec and Synapse allow) users about themselves.
  for (const url of clientPaths('/admin/whois/:userId')) {
    app.get<{ Params: { userId: string } }>(url, { schema: { params: userParams } }, async (request) => {
      const requester = await auth.authenticate(request);
      if (requester.userId !== request.params.userId && requester.admin !== true) throw notServerAdmin();
      const userId = localUserParam(request.params.userId, serverName);
      await existingUser(userId);
      return whois(userId, await listDevices(db, userId));
    });
  }

  adminRoute<{ Params: { userId: string } }>(app, auth, 'GET', '/_synapse/admin/v1/users/:userId/joined_rooms', { params: userParams }, async (request) => {
    const userId = localUserParam(request.params.userId, serverName);
    const rooms = (await getRoomsForUser(db, userId, { memberships: ['join'] })).map((r) => r.roomId);
    return { joined_rooms: rooms, total: rooms.length };
  });

  adminRoute<{ Querystring: { username: string } }>(
    app,
    auth,
    'GET',
    '/_synapse/admin/v1/username_available',
    { querystring: { type: 'object', required: ['username'], properties: { username: { type: 'string' } } } },
    async (request) => {
      const userId = userIdForUsername(request.query.username.toLowerCase(), serverName);
      if ((await getUser(db, userId)) !== undefined) throw new MatrixError(400, 'M_USER_IN_USE', 'User ID already taken.');
      return { available: true };
    },
  );
}

/** Synapse's whois shape: one session per device, one connection each (its last IP and time). */
export function whois(userId: string, devices: ReadonlyArray<{ deviceId: string; lastSeenIp: string | null; lastSeenTs: number | null }>): Record<string, unknown> {
  // One session per device (its last connection; user agents are not kept), keyed by device ID.
  const sessions = devices.map((d) => {
    const connections = d.lastSeenTs === null ? [] : [{ ip: d.lastSeenIp, last_seen: d.lastSeenTs, user_agent: null }];
    return [d.deviceId, { sessions: [{ connections }] }] as const;
  });
  return { user_id: userId, devices: Object.fromEntries(sessions) };
}
