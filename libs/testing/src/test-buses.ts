// The buses worker-mode tests run over, one entry each: how to spawn a throwaway server, the
// homeserver.yaml keys that point a process at it.
import { startNatsServer } from './nats-server.ts';
import { startRedisServer } from './redis-server.ts';
import type { TestServer } from './spawned-server.ts';

export interface TestBus {
  readonly name: 'nats' | 'redis';
  start(): Promise<TestServer>;
  /** The homeserver.yaml keys (`nats` or `redis`, Synapse's shape) for `server`. */
  yaml(server: TestServer): Record<string, unknown>;
}

export const TEST_BUSES: readonly TestBus[] = [
  {
    name: 'nats',
    start: () => startNatsServer(),
    yaml: (server) => ({ nats: { servers: [server.url] } }),
  },
  {
    name: 'redis',
    start: () => startRedisServer(),
    yaml: (server) => ({ redis: { enabled: true, host: '127.0.0.1', port: server.port } }),
  },
];
