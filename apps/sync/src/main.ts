// The sync app: serves /sync (and /events-style long-polls) from the replication streams.
import { createSyncRole } from '@homeserver/role-sync';
import { runApp } from '@homeserver/runtime';

await runApp('sync', [createSyncRole()]);
