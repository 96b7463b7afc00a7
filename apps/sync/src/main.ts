// The sync app: serves /sync (and /events-style long-polls) from the replication streams.
import { launchApp } from '@homeserver/runtime/launch';

await launchApp('sync', async () => {
  const [{ createStreamWritersRole }, { createSyncRole }, { createAppserviceNotifierModule }] = await Promise.all([
    import('@homeserver/role-stream-writers'),
    import('@homeserver/role-sync'),
    import('@homeserver/role-appservice'),
  ]);
  // A sync worker named in stream_writers for typing, receipts, presence or to_device writes them.
  return [createStreamWritersRole('sync'), createSyncRole(), createAppserviceNotifierModule('sync')];
});
