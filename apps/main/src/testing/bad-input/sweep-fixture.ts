// The valid world the sweep needs: two users, a public room with a message, an alias and a
// filter, so that every path parameter has a real value beside the invalid ones. Also keeps the
// sweeping user's session alive (a bad request that logs it out gets a fresh login, reported).
import { randomUUID } from 'node:crypto';
import type { ValidParams } from './bad-cases.ts';

export interface Session {
  readonly userId: string;
  accessToken: string;
  deviceId: string;
}

export class MatrixCallError extends Error {
  override readonly name = 'MatrixCallError';
}

/** One JSON request to the server; throws MatrixCallError on a non-2xx answer. */
export async function call<T = Record<string, unknown>>(baseUrl: string, method: string, path: string, options: { token?: string; body?: unknown } = {}): Promise<T> {
  const response = await fetch(baseUrl + path, {
    method,
    headers: { 'content-type': 'application/json', ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  if (!response.ok) throw new MatrixCallError(`${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`);
  return (text === '' ? {} : JSON.parse(text)) as T;
}

export async function register(baseUrl: string, username: string, password = 'correct horse battery'): Promise<Session> {
  const body = { username, password, auth: { type: 'm.login.dummy' } };
  const answer = await call<{ user_id: string; access_token: string; device_id: string }>(baseUrl, 'POST', '/_matrix/client/v3/register', { body });
  return { userId: answer.user_id, accessToken: answer.access_token, deviceId: answer.device_id };
}

export async function login(baseUrl: string, userId: string, password = 'correct horse battery'): Promise<Session> {
  const answer = await call<{ user_id: string; access_token: string; device_id: string }>(baseUrl, 'POST', '/_matrix/client/v3/login', {
    body: { type: 'm.login.password', identifier: { type: 'm.id.user', user: userId }, password },
  });
  return { userId: answer.user_id, accessToken: answer.access_token, deviceId: answer.device_id };
}

export interface SweepWorld {
  readonly sweeper: Session;
  readonly other: Session;
  readonly roomId: string;
  readonly eventId: string;
  readonly params: ValidParams;
}

export async function createSweepWorld(baseUrl: string): Promise<SweepWorld> {
  const suffix = randomUUID().slice(0, 8);
  const sweeper = await register(baseUrl, `sweeper_${suffix}`);
  const other = await register(baseUrl, `other_${suffix}`);
  const alias = `bad_input_${suffix}`;
  const { room_id: roomId } = await call<{ room_id: string }>(baseUrl, 'POST', '/_matrix/client/v3/createRoom', {
    token: sweeper.accessToken,
    body: { preset: 'public_chat', room_alias_name: alias, name: 'bad input sweep' },
  });
  await call(baseUrl, 'POST', `/_matrix/client/v3/join/${encodeURIComponent(roomId)}`, { token: other.accessToken, body: {} });
  const { event_id: eventId } = await call<{ event_id: string }>(baseUrl, 'PUT', `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/send/m.room.message/${randomUUID()}`, {
    token: sweeper.accessToken,
    body: { msgtype: 'm.text', body: 'hello sweep' },
  });
  const { filter_id: filterId } = await call<{ filter_id: string }>(baseUrl, 'POST', `/_matrix/client/v3/user/${encodeURIComponent(sweeper.userId)}/filter`, {
    token: sweeper.accessToken,
    body: { room: { timeline: { limit: 5 } } },
  });
  const upload = await fetch(`${baseUrl}/_matrix/media/v3/upload?filename=sweep.txt`, {
    method: 'POST',
    headers: { authorization: `Bearer ${sweeper.accessToken}`, 'content-type': 'text/plain' },
    body: 'sweep media',
  });
  if (!upload.ok) throw new MatrixCallError(`POST /_matrix/media/v3/upload answered ${upload.status}: ${(await upload.text()).slice(0, 300)}`);
  const mediaId = ((await upload.json()) as { content_uri: string }).content_uri.split('/').pop()!;
  const params: ValidParams = {
    roomId,
    roomIdOrAlias: roomId,
    userId: sweeper.userId,
    eventId,
    roomAlias: `#${alias}:test.local`,
    deviceId: sweeper.deviceId,
    filterId,
    eventType: 'm.room.message',
    stateKey: '',
    txnId: 'sweep-txn',
    receiptType: 'm.read',
    type: 'm.sweep.test',
    tag: 'u.sweep',
    relType: 'm.thread',
    serverName: 'test.local',
    mediaId,
    fileName: 'sweep.txt',
  };
  return { sweeper, other, roomId, eventId, params };
}

/**
 * True when the session still works; otherwise logs in again (new token and device) and
 * returns false so the caller can report which request ended the session.
 */
export async function keepSessionAlive(baseUrl: string, session: Session): Promise<boolean> {
  const response = await fetch(`${baseUrl}/_matrix/client/v3/account/whoami`, { headers: { authorization: `Bearer ${session.accessToken}` }, signal: AbortSignal.timeout(10_000) });
  await response.text();
  if (response.status === 200) return true;
  const fresh = await login(baseUrl, session.userId);
  session.accessToken = fresh.accessToken;
  session.deviceId = fresh.deviceId;
  return false;
}

/** A member's incremental /sync, one step per call: the room must stay readable for them. */
export class MemberSync {
  readonly #baseUrl: string;
  readonly #session: Session;
  #since: string;

  private constructor(baseUrl: string, session: Session, since: string) {
    this.#baseUrl = baseUrl;
    this.#session = session;
    this.#since = since;
  }

  static async start(baseUrl: string, session: Session): Promise<MemberSync> {
    const first = await call<{ next_batch: string }>(baseUrl, 'GET', '/_matrix/client/v3/sync?timeout=0', { token: session.accessToken });
    return new MemberSync(baseUrl, session, first.next_batch);
  }

  /** Syncs from the last position (no waiting); returns the status, advancing on 200. */
  async next(): Promise<number> {
    const url = `${this.#baseUrl}/_matrix/client/v3/sync?timeout=0&since=${encodeURIComponent(this.#since)}`;
    const response = await fetch(url, { headers: { authorization: `Bearer ${this.#session.accessToken}` }, signal: AbortSignal.timeout(30_000) });
    const text = await response.text();
    if (response.status === 200) this.#since = (JSON.parse(text) as { next_batch: string }).next_batch;
    return response.status;
  }
}
