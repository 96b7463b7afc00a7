// Spawns a throwaway redis-server on a free loopback port without persistence, for tests that
// must stop and restart the server (never touch the shared system service for that).
import { freePort } from './free-port.ts';
import { requireBinary, SpawnedServer, type TestServer } from './spawned-server.ts';

export interface StartRedisServerOptions {
  /** Port to listen on. Default: a free port. */
  readonly port?: number;
  /** Server binary. Default: /usr/bin/redis-server (Debian package redis-server). */
  readonly binary?: string;
  /**
   * Require authentication: an ACL user with this password and every permission, and the
   * default user disabled (so a client without credentials is refused). Default: none.
   */
  readonly auth?: { readonly user: string; readonly password: string };
}

export async function startRedisServer(options: StartRedisServerOptions = {}): Promise<TestServer> {
  const binary = options.binary ?? '/usr/bin/redis-server';
  requireBinary(binary, 'redis-server');
  const port = options.port ?? (await freePort());
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  if (options.auth) {
    // The ACL user may do everything on every key and channel; the point is the login itself.
    args.push('--user', 'default', 'off', '--user', options.auth.user, 'on', `>${options.auth.password}`, '~*', '&*', '+@all');
  }
  const server = new SpawnedServer({ binary, args, port });
  await server.start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: () => server.stop(),
    restart: () => server.restart(),
  };
}
