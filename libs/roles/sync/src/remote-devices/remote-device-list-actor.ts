// The remote device list actors: one per remote user, keeping that user's cached devices in step with their server. An update that continues the
// cached chain is applied; a gap (or no cache yet) fetches the whole list with /user/devices.
// Only users who share a room with one of our users are tracked; for anyone else the cache is
// dropped. Every change lands in the device_lists stream under the remote user's ID, so our
// users sharing a room with them see it in /sync's device_lists.changed.
import { defineActor, type ActorDefinition } from '@homeserver/actors';
import { encodeCanonicalJson, type JsonObject } from '@homeserver/matrix';
import { recordDeviceListChanges, REMOTE_DEVICE_LIST_KIND, type DeviceListWrites, type RemoteDeviceListHandler, type RemoteDeviceUpdate, type RemoteSigningKeyUpdate } from '@homeserver/services';
import {
  applyRemoteDeviceUpdate,
  forgetRemoteDeviceList,
  getCrossSigningKeys,
  markRemoteDeviceListStale,
  remoteDeviceListState,
  replaceRemoteDeviceList,
  setCrossSigningKey,
  sharesRoomWithServer,
  type Database,
  type Queryable,
  type RemoteDevice,
} from '@homeserver/storage';
import type { Logger } from 'pino';
import { nextChainStep } from './device-list-chain.ts';
import { crossSigningKeyFor, deviceKeysFor, readUserDevices, type RemoteCrossSigningKey } from './user-devices-answer.ts';

/** How long a resync started by an EDU may wait for the user's server. */
const EDU_RESYNC_TIMEOUT_MS = 30_000;

export interface RemoteDeviceListDeps {
  readonly db: Database;
  /** Device changes, published by the device_lists writer (wherever stream_writers puts it). */
  readonly writer: DeviceListWrites;
  /** Our server name: the users whose rooms make a remote user tracked. */
  readonly serverName: string;
  /** GET /_matrix/federation/v1/user/devices/{userId} on the user's server; throws when it fails. */
  fetchDevices(userId: string, timeoutMs: number): Promise<unknown>;
  readonly logger: Logger;
}

const canonical = (device: RemoteDevice | undefined) => (device === undefined ? '' : encodeCanonicalJson({ ...device } as unknown as JsonObject));

/** Stores the user's master and self-signing keys; returns the key IDs that changed. */
async function storeCrossSigningKeys(tx: Queryable, userId: string, keys: readonly RemoteCrossSigningKey[]): Promise<string[]> {
  const stored = (await getCrossSigningKeys(tx, [userId])).get(userId) ?? {};
  const changed: string[] = [];
  for (const key of keys) {
    const before = stored[key.type];
    if (before && before.keyId === key.keyId && encodeCanonicalJson(before.json as JsonObject) === encodeCanonicalJson(key.json)) continue;
    await setCrossSigningKey(tx, { userId, type: key.type, keyId: key.keyId, json: key.json });
    changed.push(key.keyId);
  }
  return changed;
}

export class RemoteDeviceList implements RemoteDeviceListHandler {
  readonly #userId: string;
  readonly #deps: RemoteDeviceListDeps;

  constructor(userId: string, deps: RemoteDeviceListDeps) {
    this.#userId = userId;
    this.#deps = deps;
  }

  async update(update: RemoteDeviceUpdate): Promise<null> {
    if (!(await this.#tracked())) return null;
    const { db, writer } = this.#deps;
    const userId = this.#userId;
    const cached = await remoteDeviceListState(db, userId);
    const step = nextChainStep(cached, update);
    if (step === 'apply') {
      const keys = deviceKeysFor(userId, update.deviceId, update.keys);
      await writer.write(async (tx) => {
        await applyRemoteDeviceUpdate(tx, userId, update.streamId, {
          deviceId: update.deviceId,
          deleted: update.deleted,
          ...(update.displayName === undefined ? {} : { displayName: update.displayName }),
          ...(keys === undefined ? {} : { keys }),
        });
        await recordDeviceListChanges(tx, { userId, deviceIds: [update.deviceId] });
      });
    } else if (step === 'resync') {
      await this.#resync(EDU_RESYNC_TIMEOUT_MS, [update.deviceId]);
    }
    return null;
  }

  async signingKeys(update: RemoteSigningKeyUpdate): Promise<null> {
    if (!(await this.#tracked())) return null;
    const keys = [crossSigningKeyFor(this.#userId, 'master', update.masterKey), crossSigningKeyFor(this.#userId, 'self_signing', update.selfSigningKey)].filter((k) => k !== undefined);
    if (keys.length === 0) return null;
    const { writer } = this.#deps;
    await writer.write(async (tx) => {
      const changed = await storeCrossSigningKeys(tx, this.#userId, keys);
      await recordDeviceListChanges(tx, { userId: this.#userId, deviceIds: changed });
    });
    return null;
  }

  async refresh({ timeoutMs }: { timeoutMs: number }): Promise<boolean> {
    if (!(await this.#tracked())) return false;
    const cached = await remoteDeviceListState(this.#deps.db, this.#userId);
    if (cached && !cached.resyncNeeded) return true;
    return this.#resync(timeoutMs, []);
  }

  async recheck(): Promise<null> {
    await this.#tracked();
    return null;
  }

  /** Not tracked: shares no room with our users. Whatever was cached can no longer be kept current. */
  async #tracked(): Promise<boolean> {
    const { db, serverName } = this.#deps;
    if (await sharesRoomWithServer(db, this.#userId, serverName)) return true;
    if (await remoteDeviceListState(db, this.#userId)) await db.transaction((tx) => forgetRemoteDeviceList(tx, this.#userId));
    return false;
  }

  /**
   * Replaces the cache with the user's full list from their server. `announced`: devices an
   * update named, reported changed even when the fetch fails (the cache is then marked stale,
   * and /keys/query tries again), so that clients query them again.
   */
  async #resync(timeoutMs: number, announced: readonly string[]): Promise<boolean> {
    const { writer, logger } = this.#deps;
    const userId = this.#userId;
    let answer;
    try {
      answer = readUserDevices(userId, await this.#deps.fetchDevices(userId, timeoutMs));
      if (!answer) throw new Error(`the answer of /user/devices for ${userId} is not a device list`);
    } catch (error) {
      logger.warn({ err: error, userId }, 'could not resync a remote device list; it stays marked stale');
      await writer.write(async (tx) => {
        await markRemoteDeviceListStale(tx, userId);
        await recordDeviceListChanges(tx, { userId, deviceIds: announced });
      });
      return false;
    }
    const fetched = answer;
    await writer.write(async (tx) => {
      const before = new Map((await replaceRemoteDeviceList(tx, userId, fetched.streamId, fetched.devices)).map((d) => [d.deviceId, d]));
      const changed = new Set([...before.keys()].filter((id) => !fetched.devices.some((d) => d.deviceId === id)));
      for (const device of fetched.devices) if (canonical(before.get(device.deviceId)) !== canonical(device)) changed.add(device.deviceId);
      for (const keyId of await storeCrossSigningKeys(tx, userId, fetched.crossSigningKeys)) changed.add(keyId);
      await recordDeviceListChanges(tx, { userId, deviceIds: [...changed, ...announced] });
    });
    return true;
  }
}

export function remoteDeviceListActor(deps: RemoteDeviceListDeps): ActorDefinition<RemoteDeviceListHandler> {
  return defineActor<RemoteDeviceListHandler>(REMOTE_DEVICE_LIST_KIND, {
    // Nothing is held between messages but the user ID: idle ones go quickly.
    passivateAfterMs: 60_000,
    create: (userId) => new RemoteDeviceList(userId, deps),
  });
}
