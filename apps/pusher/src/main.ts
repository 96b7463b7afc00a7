// The pusher app: loads its config and hosts the pusher role (its shard of pusher_instances).
import { pusherRole } from '@homeserver/role-pusher';
import { createAppserviceNotifierModule } from '@homeserver/role-appservice';
import { runApp } from '@homeserver/runtime';

await runApp('pusher', [pusherRole, createAppserviceNotifierModule('pusher')]);
