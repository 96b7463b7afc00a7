// The main app: loads its config and hosts the main role.
import { runApp } from '@homeserver/runtime';

await runApp('main', []);
