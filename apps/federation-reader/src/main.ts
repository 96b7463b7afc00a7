// The federation-reader app: loads its config and hosts the federation-reader role.
import { launchApp } from '@homeserver/runtime/launch';

await launchApp('federation-reader', async () => [(await import('@homeserver/role-federation-reader')).createFederationReaderRole()]);
