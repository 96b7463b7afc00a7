// The sync app: serves /sync (and /events-style long-polls) from the replication streams.
import { createStreamWritersRole } from '@homeserver/role-stream-writers';
import { createSyncRole } from '@homeserver/role-sync';
import { createAppserviceNotifierModule } from '@homeserver/role-appservice';
import { runApp } from '@homeserver/runtime';

// A sync worker named in stream_writers for typing, receipts, presence or to_device writes them.
await runApp('sync', [createStreamWritersRole('sync'), createSyncRole(), createAppserviceNotifierModule('sync')]);
