// Public entry of @homeserver/protocol: the protobuf messages exchanged between processes.
// The code under generated/ comes from proto/*.proto through the cached `codegen` target (every
// lint/typecheck/test run regenerates it first). It is committed so `npm start` and the apps
// run straight from a clone with no build step; after editing a .proto, run
// `npx nx run protocol:codegen` and commit both. Only what the processes call is generated
// (create/encode/decode, no verify, object conversion or JSDoc in the .js; the types come from a
// commented build): 88 KB of code instead of 307 KB, loaded by every process.
import { homeserver } from './generated/messages.js';

export const ActorRequest = homeserver.actor.ActorRequest;
export const ActorReply = homeserver.actor.ActorReply;
export const ActorFailure = homeserver.actor.ActorFailure;
export const StreamPosition = homeserver.actor.StreamPosition;
export const StreamAdvance = homeserver.replication.StreamAdvance;
export const StreamRow = homeserver.replication.StreamRow;
export const PositionQuery = homeserver.replication.PositionQuery;
export const PositionReply = homeserver.replication.PositionReply;
export const ProcessHeartbeat = homeserver.cluster.ProcessHeartbeat;
export const ClusterViewMessage = homeserver.cluster.ClusterView;

export type IActorRequest = homeserver.actor.IActorRequest;
export type IActorReply = homeserver.actor.IActorReply;
export type IActorFailure = homeserver.actor.IActorFailure;
export type IStreamPosition = homeserver.actor.IStreamPosition;
export type IStreamAdvance = homeserver.replication.IStreamAdvance;
export type IStreamRow = homeserver.replication.IStreamRow;
export type IPositionQuery = homeserver.replication.IPositionQuery;
export type IPositionReply = homeserver.replication.IPositionReply;
export type IProcessHeartbeat = homeserver.cluster.IProcessHeartbeat;
export type IClusterViewMessage = homeserver.cluster.IClusterView;
