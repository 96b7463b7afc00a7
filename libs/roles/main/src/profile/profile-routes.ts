// Profiles: GET /profile/{userId}[/displayname|/avatar_url] for local users, PUT only one's own.
// A change is propagated into the member event of every joined room through the room hooks.
import { badJson, clientPaths, forbidden, invalidParam, notFound } from '@homeserver/http';
import { isValidUserId } from '@homeserver/matrix';
import { callAppservice, requesterOf } from '@homeserver/services';
import { getProfile, updateProfile } from '@homeserver/storage';
import type { FastifyInstance } from 'fastify';
import type { AccountsDeps } from '../accounts/accounts-deps.ts';
import { queryRemoteProfile } from '../rooms/remote/remote-queries.ts';
import { serverOf } from '../rooms/remote/remote-servers.ts';

const FIELDS = { displayname: 'displayname', avatar_url: 'avatarUrl' } as const;
type Field = keyof typeof FIELDS;

export function registerProfileRoutes(app: FastifyInstance, deps: AccountsDeps): void {
  const { db } = deps;
  const authed = deps.auth.preHandler();

  async function load(userId: string, field?: Field) {
    if (!isValidUserId(userId)) throw invalidParam(`cannot use user ID ${JSON.stringify(userId)}: it is not a valid user ID`);
    if (deps.federation && serverOf(userId) !== deps.settings.serverName) {
      const remote = await queryRemoteProfile(deps.federation, userId, field);
      return { displayname: remote.displayname ?? null, avatarUrl: remote.avatar_url ?? null };
    }
    const profile = (await getProfile(db, userId)) ?? (await askAppservices(userId));
    if (profile === undefined) throw notFound(`profile of ${userId} not found`);
    return profile;
  }

  // An unknown user in an appservice's namespace: the appservice is asked (GET
  // /_matrix/app/v1/users/{userId}) and may register the user before it answers 200.
  async function askAppservices(userId: string) {
    for (const appservice of deps.appservices?.queryTargets('users', userId) ?? []) {
      if (!(await callAppservice(appservice, 'GET', `/users/${encodeURIComponent(userId)}`)).ok) continue;
      const profile = await getProfile(db, userId);
      if (profile !== undefined) return profile;
    }
    return undefined;
  }

  for (const url of clientPaths('/profile/:userId', { v1: true })) {
    app.get<{ Params: { userId: string } }>(url, async (request) => {
      const profile = await load(request.params.userId);
      const out: Record<string, string> = {};
      if (profile.displayname !== null) out['displayname'] = profile.displayname;
      if (profile.avatarUrl !== null) out['avatar_url'] = profile.avatarUrl;
      return out;
    });
  }

  for (const field of Object.keys(FIELDS) as Field[]) {
    for (const url of clientPaths(`/profile/:userId/${field}`, { v1: true })) {
      app.get<{ Params: { userId: string } }>(url, async (request) => {
        const value = (await load(request.params.userId, field))[FIELDS[field]];
        // A user without the field: 200 with nothing in it, as Synapse answers (unknown users 404).
        return value === null ? {} : { [field]: value };
      });
      app.put<{ Params: { userId: string }; Body: Record<string, unknown> }>(
        url,
        { preHandler: authed, schema: { body: { type: 'object', properties: { [field]: { type: ['string', 'null'], maxLength: field === 'displayname' ? 256 : 1000 } } } } },
        async (request) => {
          const userId = request.params.userId;
          if (!isValidUserId(userId)) throw invalidParam(`cannot use user ID ${JSON.stringify(userId)}: it is not a valid user ID`);
          if (requesterOf(request).userId !== userId) throw forbidden(`cannot change the profile of another user (${userId})`);
          const value = request.body[field];
          if (value === undefined) throw badJson(`missing body field ${JSON.stringify(field)}`);
          const normalised = value === '' ? null : (value as string | null);
          await updateProfile(db, userId, { [FIELDS[field]]: normalised });
          // HOOK (CS-rooms): RoomClient.onProfileChanged sends the new member events.
          if (deps.rooms !== undefined) {
            await deps.rooms.onProfileChanged(userId, { [field]: normalised }).catch((error: unknown) => request.log.warn({ err: error }, 'profile propagation failed'));
          }
          return {};
        },
      );
    }
  }
}
