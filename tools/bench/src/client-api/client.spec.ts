// The benchmarks' HTTP client against a local server: what it sends, what it answers, and that it
// fails loudly (a non-2xx answer, a server that never answers) rather than counting a failure.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { BenchRequestError, request } from './client.ts';
import { warmupRounds } from './scenarios.ts';

let server: Server | undefined;

async function serve(handle: (request: IncomingMessage, body: string, answer: (status: number, text: string) => void) => void): Promise<string> {
  server = createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => handle(incoming, Buffer.concat(chunks).toString('utf8'), (status, text) => response.writeHead(status, { 'content-type': 'application/json' }).end(text)));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

describe('bench client request', () => {
  it('sends the method, path, token and JSON body, and answers the parsed JSON', async () => {
    const seen: Array<{ method?: string; url?: string; auth?: string; type?: string; body: string }> = [];
    const base = await serve((incoming, body, answer) => {
      seen.push({ method: incoming.method, url: incoming.url, auth: incoming.headers.authorization, type: incoming.headers['content-type'], body });
      answer(200, JSON.stringify({ event_id: `$${seen.length}`, nested: { ok: true } }));
    });
    const answers = await Promise.all([1, 2].map(() => request<{ event_id: string; nested: { ok: boolean } }>(base, 'PUT', '/_matrix/x?y=1', { token: 'tok', body: { msgtype: 'm.text', body: 'héllo' } })));
    expect(answers.map((a) => a.nested.ok)).toEqual([true, true]);
    expect(new Set(answers.map((a) => a.event_id)).size).toBe(2);
    expect(seen).toHaveLength(2);
    for (const s of seen) expect(s).toEqual({ method: 'PUT', url: '/_matrix/x?y=1', auth: 'Bearer tok', type: 'application/json', body: JSON.stringify({ msgtype: 'm.text', body: 'héllo' }) });
  });

  it('sends no authorization header and no body when given none', async () => {
    let seen: { auth?: string; body?: string } = {};
    const base = await serve((incoming, body, answer) => {
      seen = { auth: incoming.headers.authorization, body };
      answer(200, '{}');
    });
    await expect(request(base, 'GET', '/versions')).resolves.toEqual({});
    expect(seen).toEqual({ auth: undefined, body: '' });
  });

  it('rejects a non-2xx answer with its status and body', async () => {
    const base = await serve((_incoming, _body, answer) => answer(429, JSON.stringify({ errcode: 'M_LIMIT_EXCEEDED' })));
    const failure = request(base, 'POST', '/_matrix/client/v3/register', { body: {} });
    await expect(failure).rejects.toBeInstanceOf(BenchRequestError);
    await expect(failure).rejects.toThrow(/answered 429: .*M_LIMIT_EXCEEDED/);
  });

  it('rejects when the server sends nothing for the timeout', async () => {
    const base = await serve(() => {});
    await expect(request(base, 'GET', '/_matrix/client/v3/sync', { timeoutMs: 200 })).rejects.toThrow(/nothing received for 200 ms/);
  });
});

describe('--latency-warmup', () => {
  it('takes a whole number of rounds and refuses anything else', () => {
    expect(warmupRounds('0')).toBe(0);
    expect(warmupRounds('2')).toBe(2);
    for (const bad of ['-1', '1.5', 'x', undefined]) expect(() => warmupRounds(bad)).toThrow(/--latency-warmup must be a whole number/);
  });
});
