// Public entry of @homeserver/transport.
export type {
  MessageHandler,
  RequestHandler,
  RequestOptions,
  SubscribeOptions,
  Subscription,
  Transport,
  TransportEvent,
  TransportMessage,
} from './transport.ts';
export {
  InvalidSubjectError,
  NoRespondersError,
  PayloadTooLargeError,
  RequestFailedError,
  RequestTimeoutError,
  TransportClosedError,
  TransportError,
} from './errors.ts';
export { DEFAULT_MAX_PAYLOAD_BYTES, DEFAULT_PREFIX, DEFAULT_TIMEOUT_MS } from './defaults.ts';
export type { TransportLogger } from './transport-logger.ts';
export { InProcessHub, InProcessTransport } from './in-process-transport.ts';
export type { InProcessTransportOptions } from './in-process-transport.ts';
export { connectNatsTransport, NatsConnectError, NatsTransport } from './nats-transport.ts';
export type { NetworkTransportOptions } from './defaults.ts';
export type { NatsTransportOptions } from './nats-transport.ts';
export { connectRedisTransport, RedisConnectError, RedisTransport } from './redis-transport.ts';
export type { RedisTransportOptions } from './redis-transport.ts';
export { createTransport } from './create-transport.ts';
export type { TransportConfig } from './create-transport.ts';
export type { AppendOptions, ConsumeOptions, DurableLog, LogEntry, LogHandler } from './durable-log.ts';
export type { NatsDurableLogOptions } from './nats-durable-log.ts';
export { authenticateTransport, ReplyRejectedError, RequestRejectedError } from './authenticated-transport.ts';
export type { AuthenticatedTransportOptions, RejectReason } from './authenticated-transport.ts';
