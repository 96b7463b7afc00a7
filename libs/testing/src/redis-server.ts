// Spawns a throwaway redis-server on a free loopback port without persistence, for tests that
// must stop and restart the server (never touch the shared system service for that).
import { freePort } from './free-port.ts';
import { requireBinary, SpawnedServer, type TestServer } from './spawned-server.ts';

export interface StartRedisServerOptions {
  /** Port to listen on. Default: a free port. */
  readonly port?: number;
  /** Server binary. Default: /usr/bin/redis-server (Debian package redis-server). */
  readonly binary?: string;
}

export async function startRedisServer(options: StartRedisServerOptions = {}): Promise<TestServer> {
  const binary = options.binary ?? '/usr/bin/redis-server';
  requireBinary(binary, 'redis-server');
  const port = options.port ?? (await freePort());
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const server = new SpawnedServer({ binary, args, port });
  await server.start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: () => server.stop(),
    restart: () => server.restart(),
  };
}
