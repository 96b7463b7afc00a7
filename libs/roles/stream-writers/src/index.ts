// Public entry of @homeserver/role-stream-writers: the writers of the typing, receipts,
// presence, to_device, account_data and device_lists streams as actors, hosted by whichever
// process `stream_writers` names for each stream. Callers reach them through libs/services'
// typed clients (ephemeralWrites, accountDataWrites, deviceListWrites), never by importing
// this package.
export { hostStreamWriters, WRITER_STREAMS } from './actors/host-writers.ts';
export type { HostedStreamWriters, HostStreamWritersOptions, WriterStream } from './actors/host-writers.ts';
export { TypingService } from './producers/typing-service.ts';
export type { TypingServiceOptions } from './producers/typing-service.ts';
export { createStreamWritersRole } from './role-modules.ts';
