// Typed client of the remote device list actors (kind `remote_device_list`, keyed by the
// remote user's ID, hosted beside the device_lists writer): one mailbox per remote user keeps
// that user's updates, resyncs and signing-key changes in order. The federation reader tells
// them what other servers announce; /keys/query asks one to resync before answering from the cache.
import { defineActor, type ActorSystem } from '@homeserver/actors';
import type { JsonObject } from '@homeserver/matrix';

export const REMOTE_DEVICE_LIST_KIND = 'remote_device_list';

/** An m.device_list_update EDU, checked (the user belongs to the server that sent it). */
export interface RemoteDeviceUpdate {
  readonly deviceId: string;
  readonly streamId: number;
  readonly prevIds: readonly number[];
  readonly deleted: boolean;
  readonly displayName?: string;
  /** The device's signed keys; absent when the update carries none. */
  readonly keys?: JsonObject;
}

/** An m.signing_key_update EDU: the user's new master and/or self-signing key. */
export interface RemoteSigningKeyUpdate {
  readonly masterKey?: JsonObject;
  readonly selfSigningKey?: JsonObject;
}

export interface RemoteDeviceListHandler {
  update(message: RemoteDeviceUpdate): Promise<null>;
  signingKeys(message: RemoteSigningKeyUpdate): Promise<null>;
  /**
   * Makes the cache current if it is missing or marked stale (fetching /user/devices from the
   * user's server); true when it is current afterwards, false when the user is not tracked
   * (shares no room with ours) or the server could not be reached within `timeoutMs`.
   */
  refresh(message: { timeoutMs: number }): Promise<boolean>;
  /** A membership change may have left the user sharing no room with ours: drop the cache if so. */
  recheck(message: null): Promise<null>;
}

export interface RemoteDeviceLists {
  /** Fire and forget: an EDU carries no result to wait for. */
  update(userId: string, update: RemoteDeviceUpdate): Promise<void>;
  signingKeys(userId: string, update: RemoteSigningKeyUpdate): Promise<void>;
  refresh(userId: string, timeoutMs: number): Promise<boolean>;
  recheck(userId: string): Promise<void>;
}

const TELL = { timeoutMs: 60_000 };

/** The kind as seen by callers: hosted by the process that writes device_lists, never activated elsewhere. */
function clientKind() {
  return defineActor<RemoteDeviceListHandler>(REMOTE_DEVICE_LIST_KIND, {
    create: () => {
      throw new Error(`${REMOTE_DEVICE_LIST_KIND} actors are hosted by the device_lists writer, not here`);
    },
  });
}

export function remoteDeviceLists(actors: ActorSystem): RemoteDeviceLists {
  const client = actors.client(clientKind());
  return {
    update: (userId, update) => client.tell(userId, 'update', update, TELL),
    signingKeys: (userId, update) => client.tell(userId, 'signingKeys', update, TELL),
    recheck: (userId) => client.tell(userId, 'recheck', null, TELL),
    async refresh(userId, timeoutMs) {
      // The actor may queue behind this user's other work: the ask allows a little more than the fetch.
      const { value } = await client.ask(userId, 'refresh', { timeoutMs }, { timeoutMs: timeoutMs + 5_000 });
      return value;
    },
  };
}
