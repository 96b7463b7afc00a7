// Client-Server helpers for the Synapse interop test: raw JSON calls, registration, polling
// waits, full /messages walks, and matrix-js-sdk clients that follow /sync and record what
// each room's live timeline received (the way a real client on each side sees the room).
import { createClient, Filter, RoomEvent, ClientEvent, SyncState, type MatrixClient, type MatrixEvent } from 'matrix-js-sdk';
import { logger as sdkGlobalLogger } from 'matrix-js-sdk/lib/logger.js';
import type { JsonObject } from '@homeserver/matrix';

type SdkLogger = NonNullable<Parameters<typeof createClient>[0]['logger']>;
const noop = (): void => undefined;
/** The SDK logs every sync and request; the test asserts what matters instead. */
const silentLogger: SdkLogger = { trace: noop, debug: noop, info: noop, warn: noop, error: noop, getChild: () => silentLogger };
(sdkGlobalLogger as unknown as { setLevel(level: string): void }).setLevel('silent');

export class ClientApiError extends Error {
  readonly status: number;
  readonly body: JsonObject;

  constructor(status: number, body: JsonObject, message: string) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

export async function clientApi(base: string, method: string, path: string, body?: unknown, token?: string): Promise<JsonObject> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const json = (await response.json()) as JsonObject;
  if (!response.ok) throw new ClientApiError(response.status, json, `${method} ${base}${path} answered ${response.status}: ${JSON.stringify(json)}`);
  return json;
}

/** The HTTP status a call ends with (200 when it succeeds). */
export async function statusOf(call: Promise<unknown>): Promise<number> {
  return call.then(
    () => 200,
    (error: unknown) => {
      if (error instanceof ClientApiError) return error.status;
      throw error;
    },
  );
}

export interface RegisteredUser {
  readonly base: string;
  readonly userId: string;
  readonly token: string;
  readonly deviceId: string;
}

/** Registers `name` with a display name. */
export async function registerUser(base: string, name: string, displayname: string): Promise<RegisteredUser> {
  const registered = await clientApi(base, 'POST', '/_matrix/client/v3/register', { username: name, password: 'interop-password-1', auth: { type: 'm.login.dummy' } });
  const user = { base, userId: registered['user_id'] as string, token: registered['access_token'] as string, deviceId: registered['device_id'] as string };
  await clientApi(base, 'PUT', `/_matrix/client/v3/profile/${encodeURIComponent(user.userId)}/displayname`, { displayname }, user.token);
  return user;
}

/**
 * Polls `check` until it answers something other than undefined: delivery between servers is
 * asynchronous, so the test waits on the condition (bounded, generous for a loaded machine).
 */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A state event's content as `user` reads it, or undefined when there is none (or no access). */
export async function stateContent(user: RegisteredUser, roomId: string, type: string, stateKey = ''): Promise<JsonObject | undefined> {
  return clientApi(user.base, 'GET', `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/state/${type}/${encodeURIComponent(stateKey)}`, undefined, user.token).catch(() => undefined);
}

/** The room's whole history as `user` reads it through /messages backwards, oldest first. */
export async function messagesOldestFirst(user: RegisteredUser, roomId: string, pageSize = 100): Promise<JsonObject[]> {
  const events: JsonObject[] = [];
  let from = '';
  for (let page = 0; page < 1000; page++) {
    const answer = await clientApi(user.base, 'GET', `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/messages?dir=b&limit=${pageSize}${from}`, undefined, user.token);
    const chunk = answer['chunk'] as JsonObject[];
    if (chunk.length === 0 || answer['end'] === undefined) break;
    events.push(...chunk);
    from = `&from=${encodeURIComponent(answer['end'] as string)}`;
  }
  return events.reverse();
}

/** The bodies of the messages among `events` that start with `prefix`, in the order given. */
export function bodiesWith(events: ReadonlyArray<{ type?: unknown; content?: unknown }>, prefix: string): string[] {
  return events
    .filter((e) => e.type === 'm.room.message')
    .map((e) => (e.content as JsonObject | undefined)?.['body'])
    .filter((b): b is string => typeof b === 'string' && b.startsWith(prefix));
}

/** A matrix-js-sdk client syncing as `user`, recording every live timeline event /sync brought per room. */
export class SyncingClient {
  readonly client: MatrixClient;
  readonly user: RegisteredUser;
  /** Live events from /sync (not local echoes), per room, in arrival order. */
  readonly #timelines = new Map<string, MatrixEvent[]>();

  constructor(user: RegisteredUser) {
    this.user = user;
    this.client = createClient({ baseUrl: user.base, userId: user.userId, accessToken: user.token, deviceId: user.deviceId, logger: silentLogger });
    this.client.on(RoomEvent.Timeline, (event, room, toStart, _removed, data) => {
      if (toStart || !data?.liveEvent || !room || event.status !== null) return;
      const list = this.#timelines.get(room.roomId) ?? [];
      list.push(event);
      this.#timelines.set(room.roomId, list);
    });
  }

  /** Starts syncing with a timeline limit no burst in the test reaches, so no sync is `limited`. */
  async start(): Promise<void> {
    const filter = new Filter(this.user.userId);
    filter.setDefinition({ room: { timeline: { limit: 1000 } } });
    const prepared = new Promise<void>((resolve, reject) => {
      this.client.on(ClientEvent.Sync, (state, _prev, data) => {
        if (state === SyncState.Prepared) resolve();
        if (state === SyncState.Error) reject(new Error(`SDK sync of ${this.user.userId} failed: ${String(data?.error)}`));
      });
    });
    await this.client.startClient({ initialSyncLimit: 10, filter });
    await prepared;
  }

  /** What /sync delivered live in `roomId`, as raw events. */
  timeline(roomId: string): Array<{ event_id?: string; type?: string; sender?: string; content?: unknown }> {
    return (this.#timelines.get(roomId) ?? []).map((e) => e.event);
  }

  stop(): void {
    this.client.stopClient();
  }
}
