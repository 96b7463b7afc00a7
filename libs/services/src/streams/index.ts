// @homeserver/services/streams: the replication streams: the catalogue (name, writers, row type,
// catch-up), each stream's definition, and the stream writers' actor protocol and typed clients.
export { eventsStream } from './events-stream.ts';
export type { CatalogueEntry, CataloguedStream } from './stream-catalogue.ts';
export {
  STREAM_CATALOGUE,
  presenceStream,
  streamWriterProblems,
  streamWritersOf,
  toDeviceStream,
  typingStream,
  writesStream,
} from './stream-catalogue.ts';
export { accountDataStream } from './account-data-stream.ts';
export { receiptsStream } from './receipts-stream.ts';
export type { DeviceListChange } from './device-lists-stream.ts';
export { deviceListsStream, recordDeviceListChanges } from './device-lists-stream.ts';
export type {
  AccountDataWriterHandler,
  DeviceListsWriterHandler,
  PresenceHandler,
  ReceiptsWriterHandler,
  SendReceiptOptions,
  SendToDeviceRequest,
  SetPresenceOptions,
  ToDeviceWriterHandler,
  TypingWriterHandler,
} from './stream-writer-protocol.ts';
export {
  ACCOUNT_DATA_WRITER_KIND,
  DEVICE_LISTS_WRITER_KEY,
  DEVICE_LISTS_WRITER_KIND,
  PRESENCE_ACTOR_KIND,
  PRESENCE_SYNC_REFRESH_MS,
  PRESENCE_STATES,
  RECEIPTS_WRITER_KIND,
  TO_DEVICE_WRITER_KIND,
  TYPING_WRITER_KIND,
} from './stream-writer-protocol.ts';
export type { AccountDataWrites, DeviceListWrites, DeviceListWritesOptions, EphemeralWrites, EphemeralWritesOptions } from './stream-writer-client.ts';
export { accountDataWrites, deviceListWrites, ephemeralWrites } from './stream-writer-client.ts';
