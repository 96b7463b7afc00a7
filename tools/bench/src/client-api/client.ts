// A minimal Matrix client for the benchmarks: register, create/join rooms, send, sync. Throws on
// any non-2xx answer so a benchmark never counts failures as throughput. It speaks node:http over
// kept-alive sockets rather than fetch: fetch cost the bench ~0.8 ms of CPU per request and
// ~30 ms garbage collections, which a shared 2-core machine took from the server under test and
// which the latency run counted in the server's latencies.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';

export interface BenchUser {
  readonly userId: string;
  readonly token: string;
}

export class BenchRequestError extends Error {
  override readonly name = 'BenchRequestError';
}

/** Keep-alive connections shared by every request: one socket per concurrent request, reused. */
const agents = { 'http:': new http.Agent({ keepAlive: true }), 'https:': new https.Agent({ keepAlive: true }) };

export function request<T = Record<string, unknown>>(baseUrl: string, method: string, path: string, options: { token?: string; body?: unknown; timeoutMs?: number } = {}): Promise<T> {
  const url = new URL(baseUrl + path);
  const transport = url.protocol === 'https:' ? https : http;
  const body = options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body));
  const headers: http.OutgoingHttpHeaders = { 'content-type': 'application/json' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (body !== undefined) headers['content-length'] = body.length;
  const timeoutMs = options.timeoutMs ?? 120_000;
  return new Promise<T>((resolve, reject) => {
    const outgoing = transport.request(url, { method, headers, agent: agents[url.protocol as 'http:' | 'https:'] }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const status = response.statusCode ?? 0;
        if (status < 200 || status > 299) return reject(new BenchRequestError(`${method} ${path.slice(0, 100)} answered ${status}: ${text.slice(0, 300)}`));
        try {
          resolve(JSON.parse(text) as T);
        } catch (error) {
          reject(error);
        }
      });
    });
    outgoing.setTimeout(timeoutMs, () => outgoing.destroy(new BenchRequestError(`${method} ${path.slice(0, 100)}: nothing received for ${timeoutMs} ms`)));
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

export async function registerUser(baseUrl: string, username: string): Promise<BenchUser> {
  const answer = await request<{ user_id: string; access_token: string }>(baseUrl, 'POST', '/_matrix/client/v3/register', {
    body: { username, password: 'bench password 1', auth: { type: 'm.login.dummy' } },
  });
  return { userId: answer.user_id, token: answer.access_token };
}

export async function createRoom(baseUrl: string, user: BenchUser, name: string): Promise<string> {
  const answer = await request<{ room_id: string }>(baseUrl, 'POST', '/_matrix/client/v3/createRoom', { token: user.token, body: { preset: 'public_chat', name } });
  return answer.room_id;
}

export async function joinRoom(baseUrl: string, user: BenchUser, roomId: string): Promise<void> {
  await request(baseUrl, 'POST', `/_matrix/client/v3/join/${encodeURIComponent(roomId)}`, { token: user.token, body: {} });
}

export async function sendText(baseUrl: string, user: BenchUser, roomId: string, body: string): Promise<string> {
  const answer = await request<{ event_id: string }>(baseUrl, 'PUT', `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/send/m.room.message/${randomUUID()}`, {
    token: user.token,
    body: { msgtype: 'm.text', body },
  });
  return answer.event_id;
}

export interface SyncResponse {
  next_batch: string;
  rooms?: { join?: Record<string, { timeline?: { events?: Array<{ content?: { body?: unknown } }> } }> };
}

export async function sync(baseUrl: string, user: BenchUser, options: { since?: string; timeoutMs?: number; filter?: string } = {}): Promise<SyncResponse> {
  const query = new URLSearchParams();
  if (options.since !== undefined) query.set('since', options.since);
  if (options.timeoutMs !== undefined) query.set('timeout', String(options.timeoutMs));
  if (options.filter !== undefined) query.set('filter', options.filter);
  return request<SyncResponse>(baseUrl, 'GET', `/_matrix/client/v3/sync?${query}`, { token: user.token, timeoutMs: (options.timeoutMs ?? 0) + 120_000 });
}

/** Runs `tasks` with at most `limit` in flight. */
export async function inParallel<T>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      await task(items[index]!, index);
    }
  });
  await Promise.all(workers);
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
