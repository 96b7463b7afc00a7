// Entry '@homeserver/transport/network': the NATS and Redis adapters themselves, for code that
// connects one directly (benches, adapter tests). Kept out of the main entry so that a process
// loads a client library only when its config names that transport.
export { connectNatsTransport, NatsConnectError, NatsTransport } from './nats-transport.ts';
export type { NatsTransportOptions } from './nats-transport.ts';
export { connectRedisTransport, RedisConnectError, RedisTransport } from './redis-transport.ts';
export type { RedisTransportOptions } from './redis-transport.ts';
