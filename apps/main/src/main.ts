// The main app: the monolith by default (every role in one process), or the main process of a
// worker deployment. Which of these roles actually run here is decided by the config.
import { eventPersisterRole } from '@homeserver/role-event-persister';
import { mainRole } from '@homeserver/role-main';
import { createEphemeralRole, createSyncRole } from '@homeserver/role-sync';
import { runApp } from '@homeserver/runtime';

await runApp('main', [eventPersisterRole, createSyncRole(), createEphemeralRole(), mainRole]);
