// Public entry of @homeserver/transport: the port, errors, the in-process adapter, createTransport.
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
export type { NetworkTransportOptions } from './defaults.ts';
// The NATS and Redis adapters are in '@homeserver/transport/network': importing this entry
// loads neither client library (createTransport imports the configured one).
export { createTransport } from './create-transport.ts';
export type { TransportConfig } from './create-transport.ts';
export { authenticateTransport, ReplyRejectedError, RequestRejectedError } from './authenticated-transport.ts';
export type { AuthenticatedTransportOptions, RejectReason } from './authenticated-transport.ts';
