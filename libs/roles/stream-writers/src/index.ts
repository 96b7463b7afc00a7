// Public entry of @homeserver/role-stream-writers: the writers of the ephemeral streams
// (typing, receipts, presence, to_device) as actors, hosted by whichever process
// `stream_writers` names for each stream. Callers reach them through libs/services'
// ephemeralWrites, never by importing this package.
export { EPHEMERAL_STREAMS, hostEphemeralWriters } from './actors/host-writers.ts';
export type { EphemeralStream, HostEphemeralWritersOptions, HostedEphemeralWriters } from './actors/host-writers.ts';
export { TypingService } from './producers/typing-service.ts';
export type { TypingServiceOptions } from './producers/typing-service.ts';
export { createStreamWritersRole } from './role-modules.ts';
