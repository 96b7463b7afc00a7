// Hosts the remote device list actors beside this process's device_lists writer (the main
// process, which writes device_lists): their updates are device-list changes of that stream.
// The membership consumer drops the cache of users who no longer share a room with ours.
import { acquireStreamWriter, deviceListsStream, remoteDeviceLists, type RoleModule } from '@homeserver/services';
import { startMembershipConsumer } from './membership-consumer.ts';
import { remoteDeviceListActor } from './remote-device-list-actor.ts';
import { serverOfUser } from './remote-e2e-keys.ts';

export function createRemoteDeviceListsRole(): RoleModule {
  return {
    role: 'main',
    async start(ctx) {
      const logger = ctx.logger.child({ module: 'remote-device-lists' });
      const deviceLists = await acquireStreamWriter(deviceListsStream, { db: ctx.db, transport: ctx.transport, instanceName: ctx.instanceName, logger });
      ctx.actors.host(
        remoteDeviceListActor({
          db: ctx.db,
          writer: deviceLists.writer,
          serverName: ctx.serverName,
          logger,
          fetchDevices: (userId, timeoutMs) =>
            ctx.federation.client.request({ destination: serverOfUser(userId), method: 'GET', path: `/_matrix/federation/v1/user/devices/${encodeURIComponent(userId)}`, timeoutMs }),
        }),
      );
      const consumer = await startMembershipConsumer({
        db: ctx.db,
        transport: ctx.transport,
        writers: ctx.config.instances['event-persister'],
        serverName: ctx.serverName,
        lists: remoteDeviceLists(ctx.actors),
        logger,
      });
      return {
        stop: async () => {
          await consumer.close();
          await deviceLists.release();
        },
      };
    },
  };
}
