// A small Matrix client over fetch for multi-process cluster tests: register, create rooms,
// send with explicit transaction ids (so a retry is the same send), and long-poll /sync.
import { randomUUID } from 'node:crypto';

export interface ClientAnswer {
  readonly status: number;
  readonly headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- deep JSON the tests walk freely
  readonly json: Record<string, any>;
}

export class ClusterClient {
  readonly base: string;
  token = '';
  userId = '';
  deviceId = '';

  constructor(base: string) {
    this.base = base;
  }

  /** Calls /_matrix/client/v3 + path; a network failure or timeout is status 0. */
  async call(method: string, path: string, body?: unknown, timeoutMs = 30_000, base = this.base): Promise<ClientAnswer> {
    try {
      const response = await fetch(`${base}/_matrix/client/v3${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await response.text();
      return { status: response.status, headers: response.headers, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
    } catch (error) {
      return { status: 0, headers: new Headers(), json: { error: String(error) } };
    }
  }

  async register(username: string): Promise<void> {
    const body = { username, password: 'correct horse battery', auth: { type: 'm.login.dummy' } };
    let answer = await this.call('POST', '/register', body);
    if (answer.status === 401) answer = await this.call('POST', '/register', { ...body, auth: { type: 'm.login.dummy', session: answer.json.session } });
    if (answer.status !== 200) throw new Error(`cannot register ${username}: ${answer.status} ${JSON.stringify(answer.json)}`);
    this.token = String(answer.json.access_token);
    this.userId = String(answer.json.user_id);
    this.deviceId = String(answer.json.device_id);
  }

  /** Sends one message under `txnId` (default: a fresh one). */
  send(roomId: string, body: string, txnId: string = randomUUID(), timeoutMs?: number): Promise<ClientAnswer> {
    return this.call('PUT', `/rooms/${encodeURIComponent(roomId)}/send/m.room.message/${txnId}`, { msgtype: 'm.text', body }, timeoutMs);
  }

  /** GET /sync on `base` (default: this client's). */
  sync(query: Record<string, string>, base = this.base): Promise<ClientAnswer> {
    return this.call('GET', `/sync?${new URLSearchParams(query).toString()}`, undefined, 60_000, base);
  }
}
