// Public entry of @homeserver/actors: mailboxes, addresses, placement, the actor system
// (ask/tell, local or remote, supervision) and leases for run-once duties.
export type { ActorAddress } from './address.ts';
export { actorAddress, formatAddress, InvalidActorNameError } from './address.ts';
export type { ActorLogger } from './actor-logger.ts';
export type { ActorClient, ActorKindMetrics, ActorSystemOptions, AskOptions } from './actor-system.ts';
export { ActorSystem, releaseSubject } from './actor-system.ts';
export type { MessageCodec } from './codec.ts';
export { jsonCodec, MessageDecodeError } from './codec.ts';
export type {
  ActorContext,
  ActorDefinition,
  ActorSpec,
  AskReply,
  CallContext,
  Later,
  MessageOf,
  MethodName,
  Replied,
  ResultOf,
  StreamPosition,
} from './define-actor.ts';
export { defineActor, reply, replyLater } from './define-actor.ts';
export {
  ActorCrashedError,
  ActorError,
  ActorSystemStoppedError,
  ActorUnreachableError,
  AskTimeoutError,
  MailboxOverloadError,
  NotHostedError,
  UnknownMethodError,
} from './errors.ts';
export type { MailboxOptions } from './mailbox.ts';
export { DEFAULT_MAILBOX_CAPACITY, Mailbox } from './mailbox.ts';
export { murmur3, utf8 } from './hash.ts';
export type { Placement, RendezvousPlacementOptions } from './placement.ts';
export { monolithPlacement, RendezvousPlacement, UnplacedKindError } from './placement.ts';
export type { ClusterMembershipOptions } from './cluster-membership.ts';
export type { ClusterChange, ClusterMember, ClusterView, MemberReport } from './cluster-view.ts';
export { ClusterMembership, DEFAULT_HEARTBEAT_INTERVAL_MS, HEARTBEAT_SUBJECT } from './cluster-membership.ts';
export type { LivePlacementOptions } from './live-placement.ts';
export { LivePlacement } from './live-placement.ts';
export type { Duty, ExclusiveRun, HeldLease, LeasesOptions } from './lease.ts';
export { DEFAULT_LEASE_POLL_INTERVAL_MS, LeaseLostError, Leases, LeaseStoppedError } from './lease.ts';
