// The main role's module: accounts, profile, account data and the rooms endpoints, over the
// room persister actors (wherever placement puts them) and the account_data and device_lists
// writer actors (wherever stream_writers puts them).
import type { ListenerResource, RoleModule, RunningRole, ServerContext } from '@homeserver/services';
import { AccessTokenAuth, accountDataWrites, Appservices, deviceListWrites, EventFormatter, eventsStream, RoomClient } from '@homeserver/services';
import { failInterruptedAdminTasks } from '@homeserver/storage';
import { StreamReader } from '@homeserver/streams';
import { AccountDataService } from './account-data/account-data-service.ts';
import { BackgroundTasks } from './admin/background-tasks.ts';
import { MessageRateLimits } from './admin/message-rate-limits.ts';
import { registerTopologyRoutes } from './admin/topology/topology-routes.ts';
import { ConfigError } from '@homeserver/config';
import { findRoomVersion, knownRoomVersions } from '@homeserver/matrix';
import { registerAdminRoutes } from './admin/register-admin-routes.ts';
import { ServerNotices } from './admin/server-notices.ts';
import { registerAccountsRoutes } from './accounts/register-accounts-routes.ts';
import { registerNotificationsRoutes } from './notifications/notifications-routes.ts';
import { registerOpenIdRoutes } from './openid/openid-routes.ts';
import { registerPushRulesRoutes } from './push-rules/push-rules-routes.ts';
import { PushRulesService } from './push-rules/push-rules-service.ts';
import { registerRoomsRoutes } from './rooms/register-rooms-routes.ts';
import { registerThirdPartyRoutes } from './thirdparty/thirdparty-routes.ts';
import { registerThreepidRoutes } from './threepid/threepid-routes.ts';
import { registerUserDirectoryRoutes } from './user-directory/user-directory-routes.ts';
import { registerVoipRoutes } from './voip/voip-routes.ts';

/** Longest a room write's reply waits for this process's events reader. */
const READ_YOUR_WRITES_MS = 2000;

export const mainRole: RoleModule = {
  role: 'main',
  async start(context: ServerContext): Promise<RunningRole> {
    const { config, db, clock } = context;
    if (config.defaultRoomVersion !== undefined && !findRoomVersion(config.defaultRoomVersion)) {
      throw new ConfigError(`key "default_room_version" has value ${JSON.stringify(config.defaultRoomVersion)}: expected one of ${knownRoomVersions().map((v) => v.id).join(', ')}`);
    }
    const logger = context.logger.child({ role: 'main' });
    const appservices = new Appservices(config.appservices);
    const auth = new AccessTokenAuth(db, { clock, appservices });
    const accountData = new AccountDataService(db, accountDataWrites(context.actors));
    const pushRules = new PushRulesService(accountData);
    const deviceLists = deviceListWrites(db, context.actors, {
      onPublishFailed: (error) => logger.warn({ err: error }, 'device-list changes stay queued: the device_lists writer did not answer'),
    });
    const rooms = new RoomClient(context.actors, db);
    // Read-your-writes for the rooms endpoints: a write's reply names the `events` position it
    // reached; the endpoint answers once this process has read that far (bounded, so a slow
    // bus delays a reply by at most READ_YOUR_WRITES_MS, never fails it).
    const eventsReader = await StreamReader.start(db, context.transport, eventsStream, { writers: config.instances['event-persister'], deliver: () => {}, logger });
    const waitForEvents = (reached: { readonly writer: string; readonly position: number }) =>
      eventsReader.waitFor(reached, READ_YOUR_WRITES_MS).catch((error: unknown) => logger.warn({ err: error, reached }, 'answering a room write before this process read it'));
    const messageLimiter = new MessageRateLimits(config.rateLimits.message, { now: () => clock.now() });
    await messageLimiter.load(db);
    const adminTasks = new BackgroundTasks();
    // main is the only host of admin tasks: any still marked running were cut by a restart.
    const interrupted = await failInterruptedAdminTasks(db);
    if (interrupted > 0) logger.warn({ tasks: interrupted }, 'admin tasks interrupted by a restart marked failed');
    return {
      registerRoutes(app, resources: ReadonlySet<ListenerResource>) {
        if (!resources.has('client')) return;
        registerAccountsRoutes(app, {
          db,
          auth,
          clock,
          logger,
          accountData,
          deviceLists,
          rooms,
          federation: context.federation,
          appservices,
          settings: {
            serverName: config.serverName,
            enableRegistration: config.enableRegistration,
            registrationSharedSecret: config.registrationSharedSecret,
            registrationRequiresToken: config.registrationRequiresToken,
            allowGuestAccess: config.allowGuestAccess,
            publicBaseUrl: config.file.public_baseurl,
            defaultRoomVersion: config.defaultRoomVersion,
            rateLimits: config.rateLimits,
          },
        });
        registerPushRulesRoutes(app, { auth, pushRules });
        registerThreepidRoutes(app, { authenticate: auth.authenticate });
        const roomsDeps = { db, rooms, authenticate: auth.authenticate, serverName: config.serverName, signingKey: context.signingKey, clock, messageLimiter, waitForEvents, federation: context.federation, appservices, defaultRoomVersion: config.defaultRoomVersion, accountData };
        registerRoomsRoutes(app, roomsDeps);
        registerAdminRoutes(app, {
          db,
          auth,
          clock,
          logger,
          rooms,
          formatter: new EventFormatter(db, clock),
          deviceLists,
          serverName: config.serverName,
          serverVersion: () => context.cluster.member(context.instanceName)?.version ?? 'unknown',
          roomsDeps,
          accountRooms: rooms,
          tasks: adminTasks,
          messageLimits: messageLimiter,
          serverNotices: config.serverNotices && new ServerNotices(config.serverNotices, roomsDeps, accountData),
        });
        registerTopologyRoutes(app, { auth, db, cluster: context.cluster, actors: context.actors, now: () => clock.now() });
        registerUserDirectoryRoutes(app, { db, authenticate: auth.authenticate, serverName: config.serverName, settings: config.userDirectory });
        registerNotificationsRoutes(app, { db, authenticate: auth.authenticate, clock });
        registerThirdPartyRoutes(app, { authenticate: auth.authenticate, appservices });
        registerVoipRoutes(app, { authenticate: auth.authenticate, clock, settings: config.voip });
        registerOpenIdRoutes(app, { db, authenticate: auth.authenticate, clock, serverName: config.serverName });
      },
      stop: async () => {
        await adminTasks.drain();
        await eventsReader.close();
      },
    };
  },
};
