// Finds a TCP port on loopback that nothing listens on, for servers a test spawns itself.
import { createServer } from 'node:net';

/** Asks the kernel for an unused loopback port. A tiny race remains until the caller binds it. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('could not read the port the kernel assigned'))));
    });
  });
}
