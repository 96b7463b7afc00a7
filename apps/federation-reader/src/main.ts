// The federation-reader app: loads its config and hosts the federation-reader role.
import { runApp } from '@homeserver/runtime';

await runApp('federation-reader', []);
