// What other servers ask of our users' end-to-end encryption: their device lists
// (/user/devices, with the stream_id our m.device_list_update EDUs continue), device and
// cross-signing keys (/user/keys/query) and one-time keys (/user/keys/claim). Only our own
// users are answered (400 for anyone else); device display names are shared only when
// allow_device_name_lookup_over_federation is set (Synapse's key, default false).
import { invalidParam } from '@homeserver/http';
import type { JsonObject } from '@homeserver/matrix';
import { claimLocalKeys, localDeviceKeys, storedCrossSigningKeys } from '@homeserver/services';
import { deviceListChangeBefore, listDevices } from '@homeserver/storage';
import type { FastifyInstance } from 'fastify';
import { federationAuth } from './federation-auth.ts';
import type { FederationRouteDeps } from './federation-deps.ts';
import { serverOf, userIdParam } from './id-params.ts';

const F = '/_matrix/federation/v1';

export interface UserKeyRouteOptions {
  /** Synapse's allow_device_name_lookup_over_federation. Default: false. */
  readonly deviceNamesOverFederation?: boolean;
}

const stringMap = (values: object) => ({ type: 'object', additionalProperties: values }) as const;

export function registerUserKeyRoutes(app: FastifyInstance, deps: FederationRouteDeps, options: UserKeyRouteOptions = {}): void {
  const preValidation = federationAuth(deps);
  const { db } = deps;
  const displayNames = options.deviceNamesOverFederation === true;

  function localUsers(userIds: readonly string[]): string[] {
    for (const userId of userIds) {
      userIdParam(userId);
      if (serverOf(userId) !== deps.serverName) throw invalidParam(`user ${userId} is not hosted on ${deps.serverName}`);
    }
    return [...userIds];
  }

  app.get<{ Params: { userId: string } }>(`${F}/user/devices/:userId`, { preValidation }, async (request) => {
    const [userId] = localUsers([request.params.userId]);
    const user = userId!;
    // Read before the devices: a change after it is announced by an EDU naming it as prev_id.
    const streamId = (await deviceListChangeBefore(db, user)) ?? 0;
    const keys = (await localDeviceKeys(db, { [user]: [] }, { displayNames }))[user] ?? {};
    const devices = (await listDevices(db, user)).map((device) => ({
      device_id: device.deviceId,
      ...(keys[device.deviceId] === undefined ? {} : { keys: keys[device.deviceId] }),
      ...(displayNames && device.displayName !== null ? { device_display_name: device.displayName } : {}),
    }));
    const crossSigning = await storedCrossSigningKeys(db, undefined, [user]);
    const answer: JsonObject = { user_id: user, stream_id: streamId, devices: devices as JsonObject[] };
    if (crossSigning.master_keys[user]) answer['master_key'] = crossSigning.master_keys[user] as JsonObject;
    if (crossSigning.self_signing_keys[user]) answer['self_signing_key'] = crossSigning.self_signing_keys[user] as JsonObject;
    return answer;
  });

  app.post<{ Body: { device_keys: Record<string, string[]> } }>(
    `${F}/user/keys/query`,
    { preValidation, schema: { body: { type: 'object', required: ['device_keys'], properties: { device_keys: stringMap({ type: 'array', items: { type: 'string' } }) } } } },
    async (request) => {
      const users = localUsers(Object.keys(request.body.device_keys));
      const crossSigning = await storedCrossSigningKeys(db, undefined, users);
      return {
        device_keys: await localDeviceKeys(db, request.body.device_keys, { displayNames }),
        master_keys: crossSigning.master_keys,
        self_signing_keys: crossSigning.self_signing_keys,
      };
    },
  );

  app.post<{ Body: { one_time_keys: Record<string, Record<string, string>> } }>(
    `${F}/user/keys/claim`,
    { preValidation, schema: { body: { type: 'object', required: ['one_time_keys'], properties: { one_time_keys: stringMap(stringMap({ type: 'string' })) } } } },
    async (request) => {
      localUsers(Object.keys(request.body.one_time_keys));
      return { one_time_keys: await claimLocalKeys(db, request.body.one_time_keys) };
    },
  );
}
