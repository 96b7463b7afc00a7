// The role modules the main app can host. Kept apart from main.ts (which starts the process on
// import) so integration tests can start the same composition in-process. Each role's library
// is imported when a process hosting that role starts it: main in a worker deployment never
// loads the persister's, pusher's or federation sender's code.
import { lazyRoleModule, type RoleModule } from '@homeserver/services';

const appservice = () => import('@homeserver/role-appservice');
const pusher = () => import('@homeserver/role-pusher');
const sync = () => import('@homeserver/role-sync');

export function mainModules(): readonly RoleModule[] {
  return [
    lazyRoleModule('event-persister', async () => (await import('@homeserver/role-event-persister')).eventPersisterRole),
    lazyRoleModule('federation-sender', async () => (await import('@homeserver/role-federation-sender')).federationSenderRole),
    lazyRoleModule('pusher', async () => (await pusher()).pusherRole),
    lazyRoleModule('sync', async () => (await sync()).createSyncRole()),
    lazyRoleModule('main', async () => (await import('@homeserver/role-stream-writers')).createStreamWritersRole('main')),
    lazyRoleModule('main', async () => (await sync()).createEphemeralRole()),
    lazyRoleModule('main', async () => (await sync()).createRemoteDeviceListsRole()),
    lazyRoleModule('main', async () => (await import('@homeserver/role-main')).mainRole),
    lazyRoleModule('main', async () => (await pusher()).pushersApiModule),
    lazyRoleModule('main', async () => (await appservice()).appserviceApiModule),
    lazyRoleModule('media', async () => (await import('@homeserver/role-media')).createMediaRole()),
    lazyRoleModule('federation-reader', async () => (await import('@homeserver/role-federation-reader')).createFederationReaderRole()),
    lazyRoleModule('main', async () => (await appservice()).createAppserviceNotifierModule('main')),
  ];
}
