import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startNatsServer } from './nats-server.ts';
import { startRedisServer } from './redis-server.ts';

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => (socket.destroy(), resolve(false)));
  });
}

describe.each([
  ['nats-server', () => startNatsServer({ jetstream: true }), 'nats://'],
  ['redis-server', () => startRedisServer(), 'redis://'],
])('%s helper', (_name, start, scheme) => {
  it('starts on a free port, stops, and restarts on the same port', async () => {
    const server = await start();
    expect(server.url).toBe(`${scheme}127.0.0.1:${server.port}`);
    expect(await accepts(server.port)).toBe(true);
    await server.stop();
    expect(await accepts(server.port)).toBe(false);
    await server.restart();
    expect(await accepts(server.port)).toBe(true);
    await server.stop();
  });
});
