// Picks the transport adapter from configuration: the one place that knows all three.
import { InProcessTransport, type InProcessTransportOptions } from './in-process-transport.ts';
import { connectNatsTransport, type NatsTransportOptions } from './nats-transport.ts';
import { connectRedisTransport, type RedisTransportOptions } from './redis-transport.ts';
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
      return connectNatsTransport(config);
    case 'redis':
      return connectRedisTransport(config);
    default: {
      const unknown: { kind?: unknown } = config;
      throw new TypeError(`unknown transport kind ${JSON.stringify(unknown.kind)}: expected 'in-process', 'nats' or 'redis'`);
    }
  }
}
