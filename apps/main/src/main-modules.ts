// The role modules the main app can host. Kept apart from main.ts (which starts the process on
// import) so integration tests can start the same composition in-process.
import { appserviceApiModule, createAppserviceNotifierModule } from '@homeserver/role-appservice';
import { eventPersisterRole } from '@homeserver/role-event-persister';
import { createFederationReaderRole } from '@homeserver/role-federation-reader';
import { federationSenderRole } from '@homeserver/role-federation-sender';
import { mainRole } from '@homeserver/role-main';
import { createMediaRole } from '@homeserver/role-media';
import { pusherRole, pushersApiModule } from '@homeserver/role-pusher';
import { createStreamWritersRole } from '@homeserver/role-stream-writers';
import { createEphemeralRole, createRemoteDeviceListsRole, createSyncRole } from '@homeserver/role-sync';
import type { RoleModule } from '@homeserver/services';

export function mainModules(): readonly RoleModule[] {
  return [eventPersisterRole, federationSenderRole, pusherRole, createSyncRole(), createStreamWritersRole('main'), createEphemeralRole(), createRemoteDeviceListsRole(), mainRole, pushersApiModule, appserviceApiModule, createMediaRole(), createFederationReaderRole(), createAppserviceNotifierModule('main')];
}
