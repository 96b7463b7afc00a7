// Server-side key backups (/room_keys/*) with Synapse's rules: versions are numbered per user
// and only the newest one takes uploads (403 M_WRONG_ROOM_KEYS_VERSION naming it); a stored
// session is replaced only by a better copy; every change of a version's keys bumps its etag.
// Writes of one user are serialised by a transaction-scoped lock.
import { MatrixError, invalidParam, notFound } from '@homeserver/http';
import {
  backupVersionEverExisted,
  countRoomKeys,
  createBackupVersion,
  currentBackupVersion,
  deleteBackupVersion,
  deleteRoomKeys,
  getBackupVersion,
  getRoomKeys,
  getRoomKeysOfRooms,
  lockUserBackups,
  setBackupEtag,
  updateBackupAuthData,
  upsertRoomKey,
  type Database,
  type OpaqueBackupData,
  type Queryable,
  type RoomKeyRow,
  type RoomKeySelection,
} from '@homeserver/storage';

export interface KeyBackupData {
  readonly first_message_index: number;
  readonly forwarded_count: number;
  readonly is_verified: boolean;
  readonly session_data: OpaqueBackupData;
}

/** room ID -> session ID -> key data, the shape of PUT /room_keys/keys. */
export type RoomKeysUpload = Record<string, Record<string, KeyBackupData>>;

export interface BackupVersionInfo {
  readonly algorithm: string;
  readonly auth_data: OpaqueBackupData;
  readonly count: number;
  readonly etag: string;
  readonly version: string;
}

/** Versions are integers here; any other string names no backup (404, as Synapse). */
function versionNumber(version: string): number | undefined {
  return /^[0-9]{1,15}$/.test(version) ? Number(version) : undefined;
}

const unknownVersion = (version: string) => notFound(`Unknown backup version ${JSON.stringify(version)}`);

/** Whether `candidate` should replace `current`: verified first, then lower first index, then fewer forwards. */
export function isBetterRoomKey(candidate: Pick<RoomKeyRow, 'isVerified' | 'firstMessageIndex' | 'forwardedCount'>, current: Pick<RoomKeyRow, 'isVerified' | 'firstMessageIndex' | 'forwardedCount'>): boolean {
  if (candidate.isVerified !== current.isVerified) return candidate.isVerified;
  if (candidate.firstMessageIndex !== current.firstMessageIndex) return candidate.firstMessageIndex < current.firstMessageIndex;
  return candidate.forwardedCount < current.forwardedCount;
}

export class RoomKeyBackup {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  async createVersion(userId: string, info: { algorithm: string; auth_data: OpaqueBackupData }): Promise<string> {
    return this.#db.transaction(async (tx) => {
      await lockUserBackups(tx, userId);
      return String(await createBackupVersion(tx, userId, { algorithm: info.algorithm, authData: info.auth_data }));
    });
  }

  /** The given version, or the newest one when `version` is undefined; 404 when there is none. */
  async getVersion(userId: string, version?: string): Promise<BackupVersionInfo> {
    const number = version === undefined ? await currentBackupVersion(this.#db, userId) : versionNumber(version);
    const row = number === undefined ? undefined : await getBackupVersion(this.#db, userId, number);
    if (!row) throw version === undefined ? notFound(`${userId} has no key backup`) : unknownVersion(version);
    return { algorithm: row.algorithm, auth_data: row.authData, count: await countRoomKeys(this.#db, userId, row.version), etag: String(row.etag), version: String(row.version) };
  }

  /** Replaces auth_data; the algorithm cannot change and a `version` in the body must match. */
  async updateVersion(userId: string, version: string, info: { algorithm: string; auth_data: OpaqueBackupData; version?: string }): Promise<void> {
    if (info.version !== undefined && info.version !== version) {
      throw invalidParam(`cannot update backup version ${JSON.stringify(version)}: the body names version ${JSON.stringify(info.version)}`);
    }
    const number = versionNumber(version);
    if (number === undefined) throw unknownVersion(version);
    await this.#db.transaction(async (tx) => {
      await lockUserBackups(tx, userId);
      const row = await getBackupVersion(tx, userId, number);
      if (!row) throw unknownVersion(version);
      if (row.algorithm !== info.algorithm) {
        throw invalidParam(`cannot update backup version ${version}: its algorithm is ${row.algorithm}, not ${info.algorithm}`);
      }
      await updateBackupAuthData(tx, userId, number, info.auth_data);
    });
  }

  /** Deletes a version and its keys; deleting an already deleted version succeeds (the spec's rule). */
  async deleteVersion(userId: string, version: string): Promise<void> {
    const number = versionNumber(version);
    if (number === undefined) throw unknownVersion(version);
    await this.#db.transaction(async (tx) => {
      await lockUserBackups(tx, userId);
      if (!(await backupVersionEverExisted(tx, userId, number))) throw unknownVersion(version);
      await deleteBackupVersion(tx, userId, number);
    });
  }

  /** Stores the better of each uploaded and stored session; the version must be the newest. */
  async uploadKeys(userId: string, version: string, rooms: RoomKeysUpload): Promise<{ etag: string; count: number }> {
    return this.#db.transaction(async (tx) => {
      await lockUserBackups(tx, userId);
      const current = await currentBackupVersion(tx, userId);
      const number = versionNumber(version);
      if (current === undefined) throw notFound(`cannot store keys in backup version ${JSON.stringify(version)}: ${userId} has no key backup`);
      if (number !== current) {
        if (number === undefined || !(await getBackupVersion(tx, userId, number))) throw unknownVersion(version);
        throw new MatrixError(403, 'M_WRONG_ROOM_KEYS_VERSION', `cannot store keys in backup version ${version}: the current version is ${current}`, {
          extra: { current_version: String(current) },
        });
      }
      const row = (await getBackupVersion(tx, userId, current))!;
      const stored = new Map((await getRoomKeysOfRooms(tx, userId, current, Object.keys(rooms))).map((k) => [`${k.roomId}\u0000${k.sessionId}`, k]));
      let changed = false;
      for (const [roomId, sessions] of Object.entries(rooms)) {
        for (const [sessionId, data] of Object.entries(sessions)) {
          const candidate: RoomKeyRow = {
            roomId,
            sessionId,
            firstMessageIndex: data.first_message_index,
            forwardedCount: data.forwarded_count,
            isVerified: data.is_verified,
            sessionData: data.session_data,
          };
          const existing = stored.get(`${roomId}\u0000${sessionId}`);
          if (existing && !isBetterRoomKey(candidate, existing)) continue;
          await upsertRoomKey(tx, userId, current, candidate);
          stored.set(`${roomId}\u0000${sessionId}`, candidate);
          changed = true;
        }
      }
      const etag = changed ? row.etag + 1 : row.etag;
      if (changed) await setBackupEtag(tx, userId, current, etag);
      return { etag: String(etag), count: await countRoomKeys(tx, userId, current) };
    });
  }

  /** Keys of any existing version (not only the newest), as Synapse. */
  async getKeys(userId: string, version: string, selection: RoomKeySelection = {}): Promise<RoomKeyRow[]> {
    await this.#requireVersion(this.#db, userId, version);
    return getRoomKeys(this.#db, userId, versionNumber(version)!, selection);
  }

  async deleteKeys(userId: string, version: string, selection: RoomKeySelection = {}): Promise<{ etag: string; count: number }> {
    return this.#db.transaction(async (tx) => {
      await lockUserBackups(tx, userId);
      const row = await this.#requireVersion(tx, userId, version);
      await deleteRoomKeys(tx, userId, row.version, selection);
      // Synapse bumps the etag on every delete, even one that matched nothing.
      await setBackupEtag(tx, userId, row.version, row.etag + 1);
      return { etag: String(row.etag + 1), count: await countRoomKeys(tx, userId, row.version) };
    });
  }

  async #requireVersion(db: Queryable, userId: string, version: string) {
    const number = versionNumber(version);
    const row = number === undefined ? undefined : await getBackupVersion(db, userId, number);
    if (!row) throw unknownVersion(version);
    return row;
  }
}
