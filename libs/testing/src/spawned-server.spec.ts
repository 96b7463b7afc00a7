import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort } from './free-port.ts';
import { startNatsServer } from './nats-server.ts';
import { ServerBinaryMissingError, ServerStartError, SpawnedServer } from './spawned-server.ts';

describe('freePort', () => {
  it('returns a loopback port that can be bound', async () => {
    const port = await freePort();
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
    await new Promise((resolve) => server.close(resolve));
    expect(port).toBeGreaterThan(0);
  });
});

describe('missing or failing server binaries', () => {
  it('names the Debian package when the binary is missing', async () => {
    const error = await startNatsServer({ binary: '/nonexistent/nats-server' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerBinaryMissingError);
    expect((error as Error).message).toContain('apt-get install nats-server');
  });

  it('reports a process that exits instead of listening', async () => {
    const server = new SpawnedServer({ binary: '/bin/false', args: [], port: await freePort() });
    await expect(server.start()).rejects.toBeInstanceOf(ServerStartError);
    expect(server.running).toBe(false);
  });
});
