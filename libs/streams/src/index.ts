// Public entry of @homeserver/streams: replication stream writers and readers, vector
// positions and tokens. Test helpers live at @homeserver/streams/testing.
export type { FetchRange, StreamDefinition, StreamRecord, StreamViewDefinition } from './stream-definition.ts';
export {
  InvalidStreamNameError,
  StreamRegistry,
  assertStreamName,
  defineStream,
  positionSubject,
  sequenceName,
  streamSubject,
  viewSubject,
} from './stream-definition.ts';
export type { StreamLogger } from './stream-logger.ts';
export type { StreamAllocation, StreamTransaction, StreamWriterOptions, StreamWriterSnapshot, WriteResult } from './stream-writer.ts';
export { StreamWriter, StreamWriterError } from './stream-writer.ts';
export type { DeliveryContext, StreamReaderOptions, StreamReaderSnapshot, StreamReaderStats } from './stream-reader.ts';
export { StreamReader, StreamWaitTimeoutError } from './stream-reader.ts';
export type { OpenStreamsSnapshot } from './open-streams.ts';
export { openStreamsOf } from './open-streams.ts';
export { InvalidPositionError, VectorPosition } from './vector-position.ts';
export type { WriterIds } from './stream-token.ts';
export { InvalidStreamTokenError, MemoryWriterIds, decodeStreamToken, decodeVector, encodeStreamToken, encodeVector } from './stream-token.ts';
export { LiveWriterIds, loadWriterIds, registerWriterId } from './writer-ids.ts';
export type { ShardBatchContext, ShardedConsumerOptions, ShardItem } from './sharded-consumer.ts';
export { DEFAULT_CONSUMER_LINGER_MS, DEFAULT_CONSUMER_SHARDS, everyShardKeys, ShardedConsumer, ShardLeaseLostError, shardOf } from './sharded-consumer.ts';
export { coalesceInFlight } from './in-flight.ts';
