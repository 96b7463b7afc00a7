// The pusher app: loads its config and hosts the pusher role.
import { runApp } from '@homeserver/runtime';

await runApp('pusher', []);
