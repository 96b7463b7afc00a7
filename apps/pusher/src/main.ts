// The pusher app: loads its config and hosts the pusher role (its shard of pusher_instances).
import { launchApp } from '@homeserver/runtime/launch';

await launchApp('pusher', async () => {
  const [{ pusherRole }, { createAppserviceNotifierModule }] = await Promise.all([import('@homeserver/role-pusher'), import('@homeserver/role-appservice')]);
  return [pusherRole, createAppserviceNotifierModule('pusher')];
});
