// The sync app: loads its config and hosts the sync role.
import { runApp } from '@homeserver/runtime';

await runApp('sync', []);
