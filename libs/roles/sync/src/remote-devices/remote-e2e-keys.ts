// /keys/query and /keys/claim for users of other servers. A queried user who shares a room
// with one of ours is answered from the device list cache (made current first when missing or
// stale); anyone else is asked of their server (/user/keys/query). Claims always go to the
// user's server (/user/keys/claim). Every server is asked at once, within the request's
// timeout; one that fails or is too slow is named in `failures`, never failing the request.
import { isJsonObject, type JsonObject } from '@homeserver/matrix';
import { storedCrossSigningKeys, type RemoteDeviceLists, type ServerContext } from '@homeserver/services';
import { cachedRemoteDevices, type Database } from '@homeserver/storage';
import type { Logger } from 'pino';

/** Synapse's default for /keys/query and /keys/claim without a timeout. */
const DEFAULT_KEYS_TIMEOUT_MS = 10_000;
/** A client cannot hold a request open on other servers longer than this. */
const MAX_KEYS_TIMEOUT_MS = 60_000;

/** The `timeout` of /keys/query or /keys/claim (ms), bounded. */
export function keysTimeoutMs(requested: number | undefined): number {
  return Math.min(Math.max(requested ?? DEFAULT_KEYS_TIMEOUT_MS, 0), MAX_KEYS_TIMEOUT_MS);
}

export interface RemoteE2eKeysDeps {
  readonly db: Database;
  readonly serverName: string;
  readonly federation: ServerContext['federation']['client'];
  readonly lists: RemoteDeviceLists;
  readonly logger: Logger;
}

export interface KeysAnswer {
  readonly device_keys: Record<string, Record<string, unknown>>;
  readonly master_keys: Record<string, unknown>;
  readonly self_signing_keys: Record<string, unknown>;
  readonly failures: Record<string, unknown>;
}

export interface ClaimAnswer {
  readonly one_time_keys: Record<string, Record<string, unknown>>;
  readonly failures: Record<string, unknown>;
}

export const serverOfUser = (userId: string): string => userId.slice(userId.indexOf(':') + 1);

/** Groups a request's users by their server, leaving out ours. */
export function byRemoteServer<T>(request: Record<string, T>, serverName: string): Map<string, Record<string, T>> {
  const out = new Map<string, Record<string, T>>();
  for (const [userId, value] of Object.entries(request)) {
    const server = serverOfUser(userId);
    if (server === serverName) continue;
    out.set(server, { ...out.get(server), [userId]: value });
  }
  return out;
}

/** What a failed server looks like in `failures` (Synapse's shape: its status, else 503). */
function failureOf(error: unknown): JsonObject {
  const status = (error as { status?: unknown }).status;
  return { status: typeof status === 'number' && status >= 400 ? status : 503, message: error instanceof Error ? error.message : String(error) };
}

/**
 * Runs `work` for each server at once and hands `merge` the answers that came in time; a server
 * that throws or outlasts `timeoutMs` becomes a failure instead (its late answer is dropped).
 */
async function perServer<T, R>(servers: Map<string, T>, timeoutMs: number, work: (server: string, part: T) => Promise<R>, merge: (answer: R) => void): Promise<Record<string, unknown>> {
  const failures: Record<string, unknown> = {};
  await Promise.all(
    [...servers].map(async ([server, part]) => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${server} did not answer within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        merge(await Promise.race([work(server, part), late]));
      } catch (error) {
        failures[server] = failureOf(error);
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return failures;
}

/** Keeps the entries of `map` for `users` (answers name only users their server was asked about). */
function pick(map: unknown, users: ReadonlySet<string>): Array<[string, JsonObject]> {
  return isJsonObject(map) ? Object.entries(map).filter((e): e is [string, JsonObject] => users.has(e[0]) && isJsonObject(e[1])) : [];
}

type Found = Omit<KeysAnswer, 'failures'>;

function mergeFound(into: Found, found: Found): void {
  Object.assign(into.device_keys, found.device_keys);
  Object.assign(into.master_keys, found.master_keys);
  Object.assign(into.self_signing_keys, found.self_signing_keys);
}

async function fromCache(deps: RemoteE2eKeysDeps, requester: string, request: Record<string, readonly string[]>): Promise<Found> {
  const found: Found = { device_keys: {}, master_keys: {}, self_signing_keys: {} };
  const cached = await cachedRemoteDevices(deps.db, Object.keys(request));
  for (const [userId, devices] of cached) {
    const wanted = request[userId] ?? [];
    const out: Record<string, unknown> = {};
    for (const device of devices) {
      if (!device.keys || (wanted.length > 0 && !wanted.includes(device.deviceId))) continue;
      const unsigned = { ...(isJsonObject(device.keys['unsigned']) ? device.keys['unsigned'] : {}), ...(device.displayName === undefined ? {} : { device_display_name: device.displayName }) };
      out[device.deviceId] = { ...device.keys, unsigned };
    }
    found.device_keys[userId] = out;
  }
  const crossSigning = await storedCrossSigningKeys(deps.db, requester, [...cached.keys()]);
  Object.assign(found.master_keys, crossSigning.master_keys);
  Object.assign(found.self_signing_keys, crossSigning.self_signing_keys);
  return found;
}

/** Asks the server for what the cache could not answer. */
async function fromServer(deps: RemoteE2eKeysDeps, server: string, request: Record<string, readonly string[]>, timeoutMs: number): Promise<Found> {
  const found: Found = { device_keys: {}, master_keys: {}, self_signing_keys: {} };
  if (Object.keys(request).length === 0) return found;
  const remote = await deps.federation.request({ destination: server, method: 'POST', path: '/_matrix/federation/v1/user/keys/query', body: { device_keys: request as Record<string, string[]> }, timeoutMs });
  const users = new Set(Object.keys(request));
  for (const [userId, devices] of pick(remote['device_keys'], users)) found.device_keys[userId] = devices;
  for (const [userId, key] of pick(remote['master_keys'], users)) found.master_keys[userId] = key;
  for (const [userId, key] of pick(remote['self_signing_keys'], users)) found.self_signing_keys[userId] = key;
  return found;
}

/** The device_keys, master_keys and self_signing_keys of remote users, and the servers that failed. */
export async function queryRemoteKeys(deps: RemoteE2eKeysDeps, requester: string, request: Record<string, readonly string[]>, timeoutMs: number): Promise<KeysAnswer> {
  const answer: KeysAnswer = { device_keys: {}, master_keys: {}, self_signing_keys: {}, failures: {} };
  const work = async (server: string, part: Record<string, readonly string[]>): Promise<Found> => {
    const current = new Set(
      (await Promise.all(Object.keys(part).map(async (userId) => ((await deps.lists.refresh(userId, timeoutMs)) ? [userId] : [])))).flat(),
    );
    const split = (cached: boolean) => Object.fromEntries(Object.entries(part).filter(([userId]) => current.has(userId) === cached));
    const [cached, asked] = await Promise.all([fromCache(deps, requester, split(true)), fromServer(deps, server, split(false), timeoutMs)]);
    mergeFound(cached, asked);
    return cached;
  };
  Object.assign(answer.failures, await perServer(byRemoteServer(request, deps.serverName), timeoutMs, work, (found) => mergeFound(answer, found)));
  return answer;
}

/** One-time keys claimed from other servers, and the servers that failed. */
export async function claimRemoteKeys(deps: RemoteE2eKeysDeps, request: Record<string, Record<string, string>>, timeoutMs: number): Promise<ClaimAnswer> {
  const answer: ClaimAnswer = { one_time_keys: {}, failures: {} };
  const work = async (server: string, part: Record<string, Record<string, string>>) => {
    const remote = await deps.federation.request({ destination: server, method: 'POST', path: '/_matrix/federation/v1/user/keys/claim', body: { one_time_keys: part }, timeoutMs });
    return pick(remote['one_time_keys'], new Set(Object.keys(part)));
  };
  const merge = (found: Array<[string, JsonObject]>) => {
    for (const [userId, devices] of found) answer.one_time_keys[userId] = devices;
  };
  Object.assign(answer.failures, await perServer(byRemoteServer(request, deps.serverName), timeoutMs, work, merge));
  return answer;
}
