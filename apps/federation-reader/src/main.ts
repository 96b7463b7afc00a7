// The federation-reader app: loads its config and hosts the federation-reader role.
import { createFederationReaderRole } from '@homeserver/role-federation-reader';
import { runApp } from '@homeserver/runtime';

await runApp('federation-reader', [createFederationReaderRole()]);
