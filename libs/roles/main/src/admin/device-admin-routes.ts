// Synapse's device admin API under /v2/users/{userId}/devices: list, show, rename, delete one or
// several. Deleting or renaming is a device-list change, written by the device_lists writer.
import { MatrixError, notFound } from '@homeserver/http';
import { recordDeviceListChanges } from '@homeserver/services';
import { deleteDevices, getDevice, getUser, listDevices, renameDevice, type DeviceRow } from '@homeserver/storage';
import type { FastifyInstance } from 'fastify';
import type { AdminDeps } from './admin-deps.ts';
import { adminRoute, localUserParam, logAdminAction } from './admin-route.ts';

function deviceJson(d: DeviceRow): Record<string, unknown> {
  return { device_id: d.deviceId, display_name: d.displayName, last_seen_ip: d.lastSeenIp, last_seen_ts: d.lastSeenTs, last_seen_user_agent: null, user_id: d.userId };
}

const userParams = { type: 'object', required: ['userId'], properties: { userId: { type: 'string' } } } as const;
const deviceParams = { type: 'object', required: ['userId', 'deviceId'], properties: { userId: { type: 'string' }, deviceId: { type: 'string', minLength: 1 } } } as const;

export function registerDeviceAdminRoutes(app: FastifyInstance, deps: AdminDeps): void {
  const { db, auth, serverName, deviceLists } = deps;
  const knownUser = async (raw: string): Promise<string> => {
    const userId = localUserParam(raw, serverName);
    if ((await getUser(db, userId)) === undefined) throw notFound('Unknown user');
    return userId;
  };
  const remove = (userId: string, deviceIds: readonly string[]) =>
    deviceLists.write(async (tx) => {
      const deleted = await deleteDevices(tx, userId, deviceIds);
      await recordDeviceListChanges(tx, { userId, deviceIds: deleted });
    });

  adminRoute<{ Params: { userId: string } }>(app, auth, 'GET', '/_synapse/admin/v2/users/:userId/devices', { params: userParams }, async (request) => {
    const devices = (await listDevices(db, await knownUser(request.params.userId))).map(deviceJson);
    return { devices, total: devices.length };
  });

  adminRoute<{ Params: { userId: string; deviceId: string } }>(app, auth, 'GET', '/_synapse/admin/v2/users/:userId/devices/:deviceId', { params: deviceParams }, async (request) => {
    const device = await getDevice(db, await knownUser(request.params.userId), request.params.deviceId);
    if (device === undefined) throw notFound('No device found');
    return deviceJson(device);
  });

  adminRoute<{ Params: { userId: string; deviceId: string }; Body: { display_name?: string } }>(
    app,
    auth,
    'PUT',
    '/_synapse/admin/v2/users/:userId/devices/:deviceId',
    { params: deviceParams, body: { type: ['object', 'null'], properties: { display_name: { type: 'string', maxLength: 100 } } } },
    async (request, admin) => {
      const userId = await knownUser(request.params.userId);
      const { deviceId } = request.params;
      const displayName = request.body?.display_name;
      logAdminAction(request, admin, 'rename device', { user_id: userId, device_id: deviceId });
      if (displayName === undefined) {
        if ((await getDevice(db, userId, deviceId)) === undefined) throw notFound('No device found');
        return {};
      }
      const { value: renamed } = await deviceLists.write(async (tx) => {
        const done = await renameDevice(tx, userId, deviceId, displayName);
        if (done) await recordDeviceListChanges(tx, { userId, deviceIds: [deviceId] });
        return done;
      });
      if (!renamed) throw notFound('No device found');
      return {};
    },
  );

  adminRoute<{ Params: { userId: string; deviceId: string } }>(app, auth, 'DELETE', '/_synapse/admin/v2/users/:userId/devices/:deviceId', { params: deviceParams }, async (request, admin) => {
    const userId = await knownUser(request.params.userId);
    logAdminAction(request, admin, 'delete device', { user_id: userId, device_id: request.params.deviceId });
    // Synapse answers {} for a device that is already gone.
    await remove(userId, [request.params.deviceId]);
    return {};
  });

  adminRoute<{ Params: { userId: string }; Body: { devices: string[] } }>(
    app,
    auth,
    'POST',
    '/_synapse/admin/v2/users/:userId/delete_devices',
    { params: userParams, body: { type: 'object', required: ['devices'], properties: { devices: { type: 'array', items: { type: 'string' } } } } },
    async (request, admin) => {
      const userId = await knownUser(request.params.userId);
      if (request.body.devices.length > 1000) throw new MatrixError(400, 'M_INVALID_PARAM', 'cannot delete more than 1000 devices at once');
      logAdminAction(request, admin, 'delete devices', { user_id: userId, device_ids: request.body.devices });
      await remove(userId, request.body.devices);
      return {};
    },
  );
}
