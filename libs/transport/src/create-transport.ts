// Picks the transport adapter from configuration: the one place that knows all three. A network
// adapter's module (and so its client library) is imported only when it is the configured one.
import { InProcessTransport, type InProcessTransportOptions } from './in-process-transport.ts';
import type { NatsTransportOptions } from './nats-transport.ts';
import type { RedisTransportOptions } from './redis-transport.ts';
import type { Transport } from './transport.ts';

export type TransportConfig =
  | ({ readonly kind: 'in-process' } & InProcessTransportOptions)
  | ({ readonly kind: 'nats' } & NatsTransportOptions)
  | ({ readonly kind: 'redis' } & RedisTransportOptions);

/** Creates and connects the configured adapter; network adapters fail loudly if the server is down. */
export async function createTransport(config: TransportConfig): Promise<Transport> {
  switch (config.kind) {
    case 'in-process':
      return new InProcessTransport(config);
    case 'nats':
      return (await import('./nats-transport.ts')).connectNatsTransport(config);
    case 'redis':
      return (await import('./redis-transport.ts')).connectRedisTransport(config);
    default: {
      const unknown: { kind?: unknown } = config;
      throw new TypeError(`unknown transport kind ${JSON.stringify(unknown.kind)}: expected 'in-process', 'nats' or 'redis'`);
    }
  }
}
