// Account management: /account/password, /account/deactivate, /devices, /delete_devices. Each
// destructive operation re-authenticates with the user's password (UIA m.login.password).
// Deleting or renaming devices is a device-list change: it runs in a device_lists transaction.
import { MatrixError, clientPaths, notFound } from '@homeserver/http';
import { recordDeviceListChanges, requesterOf } from '@homeserver/services';
import { deleteDevices, getDevice, listDevices, renameDevice, setUserErased, type DeviceRow, type Queryable } from '@homeserver/storage';
import type { FastifyInstance } from 'fastify';
import { deactivateAccount, setPassword } from './account-lifecycle.ts';
import type { AccountsDeps } from './accounts-deps.ts';
import { hashPassword } from './password-hash.ts';
import type { UserInteractiveAuth } from './uia.ts';

const PASSWORD_FLOWS = [['m.login.password']] as const;

export function deviceJson(d: DeviceRow): Record<string, unknown> {
  const out: Record<string, unknown> = { device_id: d.deviceId };
  if (d.displayName !== null) out['display_name'] = d.displayName;
  if (d.lastSeenIp !== null) out['last_seen_ip'] = d.lastSeenIp;
  if (d.lastSeenTs !== null) out['last_seen_ts'] = d.lastSeenTs;
  return out;
}

const deviceIdParam = { type: 'object', required: ['deviceId'], properties: { deviceId: { type: 'string', minLength: 1 } } } as const;

export function registerAccountRoutes(app: FastifyInstance, deps: AccountsDeps, uia: UserInteractiveAuth): void {
  const { db, settings, auth, deviceLists } = deps;
  const authed = auth.preHandler();
  const changed = (tx: Queryable, userId: string, deviceIds: readonly string[]) =>
    recordDeviceListChanges(tx, { userId, deviceIds });

  for (const url of clientPaths('/account/password')) {
    app.post<{ Body: { new_password: string; logout_devices?: boolean; auth?: unknown } }>(
      url,
      {
        preHandler: authed,
        schema: {
          body: {
            type: 'object',
            required: ['new_password'],
            properties: { new_password: { type: 'string', minLength: 1, maxLength: 512 }, logout_devices: { type: 'boolean' }, auth: { type: 'object' } },
          },
        },
      },
      async (request) => {
        const requester = requesterOf(request);
        await uia.check(request.body.auth, { flows: PASSWORD_FLOWS, uri: '/account/password', method: 'POST', userId: requester.userId });
        const hash = await hashPassword(request.body.new_password, { cost: settings.passwordHashCost });
        await setPassword(deps, requester.userId, hash, { logoutDevices: request.body.logout_devices !== false, keep: requester });
        return {};
      },
    );
  }

  for (const url of clientPaths('/account/deactivate')) {
    app.post<{ Body: { auth?: unknown; erase?: boolean; id_server?: string } }>(
      url,
      { preHandler: authed, schema: { body: { type: 'object', properties: { auth: { type: 'object' }, erase: { type: 'boolean' }, id_server: { type: 'string' } } } } },
      async (request) => {
        const requester = requesterOf(request);
        await uia.check(request.body?.auth, { flows: PASSWORD_FLOWS, uri: '/account/deactivate', method: 'POST', userId: requester.userId });
        await deactivateAccount(deps, requester.userId);
        // Later readers get this user's events redacted (services erased-senders.ts), as Synapse.
        if (request.body?.erase === true) await setUserErased(db, requester.userId, true);
        return { id_server_unbind_result: 'no-support' };
      },
    );
  }

  for (const url of clientPaths('/devices')) {
    app.get(url, { preHandler: authed }, async (request) => ({ devices: (await listDevices(db, requesterOf(request).userId)).map(deviceJson) }));
  }

  for (const url of clientPaths('/devices/:deviceId')) {
    app.get<{ Params: { deviceId: string } }>(url, { preHandler: authed, schema: { params: deviceIdParam } }, async (request) => {
      const device = await getDevice(db, requesterOf(request).userId, request.params.deviceId);
      if (device === undefined) throw notFound(`device ${JSON.stringify(request.params.deviceId)} not found`);
      return deviceJson(device);
    });
    app.put<{ Params: { deviceId: string }; Body: { display_name?: string } }>(
      url,
      { preHandler: authed, schema: { params: deviceIdParam, body: { type: 'object', properties: { display_name: { type: 'string', maxLength: 100 } } } } },
      async (request) => {
        const { userId } = requesterOf(request);
        const { deviceId } = request.params;
        const displayName = request.body?.display_name;
        // Without display_name the name stays as it is (spec), and nothing changed to announce.
        const found = displayName === undefined
          ? (await getDevice(db, userId, deviceId)) !== undefined
          : (await deviceLists.write(async (tx) => {
              const renamed = await renameDevice(tx, userId, deviceId, displayName);
              if (renamed) await changed(tx, userId, [deviceId]);
              return renamed;
            })).value;
        if (!found) throw notFound(`device ${JSON.stringify(deviceId)} not found`);
        return {};
      },
    );
    app.delete<{ Params: { deviceId: string }; Body: { auth?: unknown } }>(
      url,
      { preHandler: authed, schema: { params: deviceIdParam, body: { type: ['object', 'null'], properties: { auth: { type: 'object' } } } } },
      async (request) => {
        const requester = requesterOf(request);
        if ((await getDevice(db, requester.userId, request.params.deviceId)) === undefined) {
          throw notFound(`device ${JSON.stringify(request.params.deviceId)} not found`);
        }
        await uia.check(request.body?.auth, { flows: PASSWORD_FLOWS, uri: `/devices/${request.params.deviceId}`, method: 'DELETE', userId: requester.userId });
        await deviceLists.write(async (tx) => changed(tx, requester.userId, await deleteDevices(tx, requester.userId, [request.params.deviceId])));
        return {};
      },
    );
  }

  for (const url of clientPaths('/delete_devices')) {
    app.post<{ Body: { devices: string[]; auth?: unknown } }>(
      url,
      {
        preHandler: authed,
        schema: { body: { type: 'object', required: ['devices'], properties: { devices: { type: 'array', items: { type: 'string' } }, auth: { type: 'object' } } } },
      },
      async (request) => {
        const requester = requesterOf(request);
        if (request.body.devices.length > 1000) throw new MatrixError(400, 'M_INVALID_PARAM', 'cannot delete more than 1000 devices at once');
        await uia.check(request.body.auth, { flows: PASSWORD_FLOWS, uri: '/delete_devices', method: 'POST', userId: requester.userId });
        await deviceLists.write(async (tx) => changed(tx, requester.userId, await deleteDevices(tx, requester.userId, request.body.devices)));
        return {};
      },
    );
  }
}
