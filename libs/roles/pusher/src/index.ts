// Public entry of @homeserver/role-pusher: the pusher role (push notifications to HTTP push
// gateways, sharded by user) and the pushers API module main hosts.
export type { PusherRoleOptions, RunningPusher } from './role-modules.ts';
export { createPusherRole, PUSHER_SHARDS, pusherRole, pushersApiModule, startPusher } from './role-modules.ts';
export type { PushStats } from './actors/push-senders.ts';
