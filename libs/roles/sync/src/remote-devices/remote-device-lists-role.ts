// Hosts the remote device list actors in the main process: their updates are device-list
// changes, published by the device_lists writer wherever stream_writers puts it. The
// membership consumer drops the cache of users who no longer share a room with ours; lists left
// stale are retried on a timer (stale-list-retry.ts).
import { deviceListWrites, remoteDeviceLists, type RoleModule } from '@homeserver/services';
import { startMembershipConsumer } from './membership-consumer.ts';
import { remoteDeviceListActor } from './remote-device-list-actor.ts';
import { startStaleListRetry } from './stale-list-retry.ts';
import { serverOfUser } from './remote-e2e-keys.ts';

export function createRemoteDeviceListsRole(): RoleModule {
  return {
    role: 'main',
    async start(ctx) {
      const logger = ctx.logger.child({ module: 'remote-device-lists' });
      const deviceLists = deviceListWrites(ctx.db, ctx.actors, {
        onPublishFailed: (error) => logger.warn({ err: error }, 'device-list changes stay queued: the device_lists writer did not answer'),
      });
      ctx.actors.host(
        remoteDeviceListActor({
          db: ctx.db,
          writer: deviceLists,
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
      const retry = startStaleListRetry({ db: ctx.db, lists: remoteDeviceLists(ctx.actors), logger });
      return {
        stop: async () => {
          await retry.stop();
          await consumer.close();
        },
      };
    },
  };
}
