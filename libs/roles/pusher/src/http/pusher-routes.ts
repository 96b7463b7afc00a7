// The client-server API's pushers module: GET /pushers and POST /pushers/set. Served by main
// (Synapse's workers serve neither); the pusher role picks changes up from the pushers table
// when it next has something for that user.
import { clientPaths } from '@homeserver/http';
import { requesterOf, type AccessTokenAuth, type Clock } from '@homeserver/services';
import { deletePusher, deletePushersOfOtherUsers, pushersOfUser, upsertPusher, type Database, type PusherRow } from '@homeserver/storage';
import type { FastifyInstance } from 'fastify';
import { parsePusherSet } from './pusher-input.ts';

export interface PusherRouteDeps {
  readonly db: Database;
  readonly auth: AccessTokenAuth;
  readonly clock: Clock;
}

/** A pusher as GET /pushers lists it (the spec's fields). */
export function pusherJson(pusher: PusherRow): Record<string, unknown> {
  return {
    pushkey: pusher.pushkey,
    kind: pusher.kind,
    app_id: pusher.appId,
    app_display_name: pusher.appDisplayName,
    device_display_name: pusher.deviceDisplayName,
    profile_tag: pusher.profileTag,
    lang: pusher.lang,
    data: pusher.data,
  };
}

export function registerPusherRoutes(app: FastifyInstance, deps: PusherRouteDeps): void {
  const authed = deps.auth.preHandler();
  for (const url of clientPaths('/pushers', { v1: true })) {
    app.get(url, { preHandler: authed }, async (request) => ({ pushers: (await pushersOfUser(deps.db, requesterOf(request).userId)).map(pusherJson) }));
  }
  for (const url of clientPaths('/pushers/set', { v1: true })) {
    app.post(url, { preHandler: authed }, async (request) => {
      const requester = requesterOf(request);
      const input = parsePusherSet(request.body);
      if (input.action === 'delete') {
        await deletePusher(deps.db, { userId: requester.userId, appId: input.appId, pushkey: input.pushkey });
        return {};
      }
      await deps.db.transaction(async (tx) => {
        // Without append, a pushkey belongs to one user: another user's pusher for the same
        // app and pushkey (a phone that changed hands) stops.
        if (!input.append) await deletePushersOfOtherUsers(tx, { userId: requester.userId, appId: input.appId, pushkey: input.pushkey });
        await upsertPusher(tx, {
          userId: requester.userId,
          deviceId: requester.deviceId,
          kind: input.kind,
          appId: input.appId,
          appDisplayName: input.appDisplayName,
          deviceDisplayName: input.deviceDisplayName,
          pushkey: input.pushkey,
          pushkeyTs: deps.clock.now(),
          lang: input.lang,
          data: input.data,
          profileTag: input.profileTag,
        });
      });
      return {};
    });
  }
}
