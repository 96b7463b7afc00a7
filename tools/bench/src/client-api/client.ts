// A minimal Matrix client over fetch for the benchmarks: register, create/join rooms, send,
// sync. Throws on any non-2xx answer so a benchmark never counts failures as throughput.
import { randomUUID } from 'node:crypto';

export interface BenchUser {
  readonly userId: string;
  readonly token: string;
}

export class BenchRequestError extends Error {
  override readonly name = 'BenchRequestError';
}

export async function request<T = Record<string, unknown>>(baseUrl: string, method: string, path: string, options: { token?: string; body?: unknown; timeoutMs?: number } = {}): Promise<T> {
  const response = await fetch(baseUrl + path, {
    method,
    headers: { 'content-type': 'application/json', ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: AbortSignal.timeout(options.timeoutMs ?? 120_000),
  });
  const text = await response.text();
  if (!response.ok) throw new BenchRequestError(`${method} ${path.slice(0, 100)} answered ${response.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
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
