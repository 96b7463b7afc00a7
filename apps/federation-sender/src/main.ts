// The federation-sender app: loads its config and hosts the federation-sender role.
import { runApp } from '@homeserver/runtime';

await runApp('federation-sender', []);
