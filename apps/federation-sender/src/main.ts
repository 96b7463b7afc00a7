// The federation-sender app: loads its config and hosts the federation-sender role (its shard
// of federation_sender_instances).
import { launchApp } from '@homeserver/runtime/launch';

await launchApp('federation-sender', async () => [(await import('@homeserver/role-federation-sender')).federationSenderRole]);
