// Spawns a throwaway nats-server on a free loopback port, for tests that must stop and restart
// the server (never touch the shared system service for that).
import { freePort } from './free-port.ts';
import { requireBinary, SpawnedServer, tempDirUntilExit, type TestServer } from './spawned-server.ts';

export interface StartNatsServerOptions {
  /** Enable JetStream with a temporary store directory. Default: false. */
  readonly jetstream?: boolean;
  /** Port to listen on. Default: a free port. */
  readonly port?: number;
  /** Server binary. Default: /usr/sbin/nats-server (Debian package nats-server). */
  readonly binary?: string;
}

export async function startNatsServer(options: StartNatsServerOptions = {}): Promise<TestServer> {
  const binary = options.binary ?? '/usr/sbin/nats-server';
  requireBinary(binary, 'nats-server');
  const port = options.port ?? (await freePort());
  const args = ['-a', '127.0.0.1', '-p', String(port)];
  if (options.jetstream) {
    // The store directory outlives restarts, so JetStream data survives them as in production.
    args.push('-js', '-sd', tempDirUntilExit('hs-nats-'));
  }
  const server = new SpawnedServer({ binary, args, port });
  await server.start();
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    stop: () => server.stop(),
    restart: () => server.restart(),
  };
}
