// Public entry of @homeserver/role-federation-sender: the federation-sender role (PDUs and EDUs
// to other servers, per-destination queues sharded by destination).
export type { FederationSenderOptions, RunningFederationSender } from './role-module.ts';
export { createFederationSenderRole, FEDERATION_SENDER_SHARDS, federationSenderRole, retryScheduleOf, startFederationSender } from './role-module.ts';
export type { SenderStats } from './actors/destination-queues.ts';
export type { RetrySchedule } from './actors/retry-schedule.ts';
export { DEFAULT_RETRY_SCHEDULE, nextRetryInterval } from './actors/retry-schedule.ts';
