// Server notices (Synapse's server_notices config and POST /_synapse/admin/v1/send_server_notice):
// a system user of this server sends each user notices in a room of their own, which the system
// user creates on the first notice (named from the config, tagged m.server_notice for the user,
// the user invited, or joined with auto_join; users_default -10 so only the system user writes).
// The system user only ever sits in notice rooms, so a user's notice room is a room they share
// with it.
import type { ServerNoticesConfig } from '@homeserver/config';
import { notFound } from '@homeserver/http';
import type { JsonObject } from '@homeserver/matrix';
import type { AccountDataService } from '../account-data/account-data-service.ts';
import { getRoomsForUser, getUser, insertUser, updateProfile } from '@homeserver/storage';
import { createRoom } from '../rooms/create-room.ts';
import { failureError, memberContent } from '../rooms/room-writes.ts';
import type { RoomsDeps } from '../rooms/rooms-deps.ts';

export const SERVER_NOTICE_TAG = 'm.server_notice';

export interface ServerNotice {
  readonly userId: string;
  readonly type: string;
  readonly stateKey?: string;
  readonly content: JsonObject;
  /** Makes a retried request send nothing new: (admin, device, transaction ID). Default: none. */
  readonly txn?: { readonly deviceId: string; readonly txnId: string };
}

export class ServerNotices {
  readonly #config: ServerNoticesConfig;
  readonly #rooms: RoomsDeps;
  readonly #accountData: AccountDataService;
  /** One notice at a time per user, so two first notices never make two rooms. */
  readonly #queues = new Map<string, Promise<unknown>>();

  constructor(config: ServerNoticesConfig, rooms: RoomsDeps, accountData: AccountDataService) {
    this.#config = config;
    this.#rooms = rooms;
    this.#accountData = accountData;
  }

  get systemUserId(): string {
    return `@${this.#config.systemMxidLocalpart}:${this.#rooms.serverName}`;
  }

  /** Sends the notice (404 for an unknown user); resolves to its event ID. */
  async send(notice: ServerNotice): Promise<string> {
    const previous = this.#queues.get(notice.userId) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(() => this.#send(notice));
    this.#queues.set(notice.userId, run);
    try {
      return await run;
    } finally {
      if (this.#queues.get(notice.userId) === run) this.#queues.delete(notice.userId);
    }
  }

  async #send(notice: ServerNotice): Promise<string> {
    const deps = this.#rooms;
    if (!(await getUser(deps.db, notice.userId))) throw notFound(`user ${notice.userId} not found`);
    await this.#ensureSystemUser();
    const roomId = (await this.#findRoom(notice.userId)) ?? (await this.#createRoom(notice.userId));
    const sender = this.systemUserId;
    const result = await deps.rooms.sendEvent(roomId, {
      type: notice.type,
      ...(notice.stateKey === undefined ? {} : { stateKey: notice.stateKey }),
      content: notice.content,
      sender,
      // The transaction is the admin's: the system user's "device" names the admin's one.
      ...(notice.txn === undefined ? {} : { deviceId: `server_notices/${notice.txn.deviceId}`, txnId: notice.txn.txnId }),
    });
    if (!result.ok) throw failureError(result);
    await deps.waitForEvents?.(result);
    return result.eventId;
  }

  async #ensureSystemUser(): Promise<void> {
    const { db, clock } = this.#rooms;
    const userId = this.systemUserId;
    const displayname = this.#config.systemMxidDisplayName;
    if (!(await getUser(db, userId))) {
      // No password: nobody logs in as the system user.
      await insertUser(db, { userId, passwordHash: null, createdTs: clock.now(), displayname: displayname ?? this.#config.systemMxidLocalpart });
    }
    // The config may have changed since the user was made: new rooms show the current profile.
    await updateProfile(db, userId, {
      ...(displayname === undefined ? {} : { displayname }),
      ...(this.#config.systemMxidAvatarUrl === undefined ? {} : { avatarUrl: this.#config.systemMxidAvatarUrl }),
    });
  }

  async #findRoom(userId: string): Promise<string | undefined> {
    const db = this.#rooms.db;
    const own = new Set((await getRoomsForUser(db, this.systemUserId, { memberships: ['join'] })).map((r) => r.roomId));
    const theirs = await getRoomsForUser(db, userId, { memberships: ['join', 'invite'] });
    return theirs.find((r) => own.has(r.roomId))?.roomId;
  }

  async #createRoom(userId: string): Promise<string> {
    const deps = this.#rooms;
    const system = { userId: this.systemUserId, deviceId: 'server_notices', accessTokenId: 0, isGuest: false };
    const config = this.#config;
    const roomId = await createRoom(deps, system, {
      preset: 'private_chat',
      name: config.roomName,
      ...(config.roomTopic === undefined ? {} : { topic: config.roomTopic }),
      ...(config.roomAvatarUrl === undefined ? {} : { initial_state: [{ type: 'm.room.avatar', state_key: '', content: { url: config.roomAvatarUrl } }] }),
      invite: [userId],
      creation_content: { 'm.federate': false },
      power_level_content_override: { users_default: -10 },
    });
    const tags = ((await this.#accountData.get(userId, roomId, 'm.tag'))?.['tags'] ?? {}) as JsonObject;
    await this.#accountData.set(userId, roomId, 'm.tag', { tags: { ...tags, [SERVER_NOTICE_TAG]: {} } });
    if (config.autoJoin) {
      const joined = await deps.rooms.sendEvent(roomId, { type: 'm.room.member', stateKey: userId, sender: userId, content: await memberContent(deps, userId, 'join') });
      if (!joined.ok) throw failureError(joined);
      await deps.waitForEvents?.(joined);
    }
    return roomId;
  }
}
