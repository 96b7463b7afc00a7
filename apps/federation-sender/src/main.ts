// The federation-sender app: loads its config and hosts the federation-sender role (its shard
// of federation_sender_instances).
import { federationSenderRole } from '@homeserver/role-federation-sender';
import { runApp } from '@homeserver/runtime';

await runApp('federation-sender', [federationSenderRole]);
