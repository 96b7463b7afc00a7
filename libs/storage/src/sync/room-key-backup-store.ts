// Server-side key backups (key_backup.yaml): backup versions per user and the encrypted room
// keys stored in each. The session data is opaque to the server.
import type { Queryable } from '../database.ts';

/** auth_data and session_data: objects per the spec, though Synapse stores any JSON string too (Sytest sends strings). */
export type OpaqueBackupData = Record<string, unknown> | string;

export interface BackupVersionRow {
  readonly version: number;
  readonly algorithm: string;
  readonly authData: OpaqueBackupData;
  readonly etag: number;
}

export interface RoomKeyRow {
  readonly roomId: string;
  readonly sessionId: string;
  readonly firstMessageIndex: number;
  readonly forwardedCount: number;
  readonly isVerified: boolean;
  readonly sessionData: OpaqueBackupData;
}

export interface RoomKeySelection {
  /** Default: every room. */
  readonly roomId?: string | undefined;
  /** Only with roomId. Default: every session of the room(s). */
  readonly sessionId?: string | undefined;
}

/**
 * Serialises the backup writes of one user until the transaction ends (Synapse holds a per-user
 * lock for the same reason): version numbering, the current-version check and etag updates.
 */
export async function lockUserBackups(tx: Queryable, userId: string): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`room_keys:${userId}`]);
}

/** The newest version not deleted, if any. */
export async function currentBackupVersion(db: Queryable, userId: string): Promise<number | undefined> {
  const { rows } = await db.query<{ version: number | null }>('SELECT max(version) AS version FROM e2e_room_keys_versions WHERE user_id = $1 AND NOT deleted', [userId]);
  return rows[0]?.version ?? undefined;
}

/** A version that exists and is not deleted. */
export async function getBackupVersion(db: Queryable, userId: string, version: number): Promise<BackupVersionRow | undefined> {
  const { rows } = await db.query<{ version: number; algorithm: string; auth_data: Record<string, unknown>; etag: number }>(
    'SELECT version, algorithm, auth_data, etag FROM e2e_room_keys_versions WHERE user_id = $1 AND version = $2 AND NOT deleted',
    [userId, version],
  );
  const row = rows[0];
  return row ? { version: Number(row.version), algorithm: row.algorithm, authData: row.auth_data, etag: Number(row.etag) } : undefined;
}

/** Whether the version was ever created (deleted or not). */
export async function backupVersionEverExisted(db: Queryable, userId: string, version: number): Promise<boolean> {
  const { rows } = await db.query('SELECT 1 FROM e2e_room_keys_versions WHERE user_id = $1 AND version = $2', [userId, version]);
  return rows.length > 0;
}

/** Creates the next version (one past every version ever created) and returns its number. */
export async function createBackupVersion(tx: Queryable, userId: string, info: { algorithm: string; authData: OpaqueBackupData }): Promise<number> {
  const { rows } = await tx.query<{ version: number }>(
    `INSERT INTO e2e_room_keys_versions (user_id, version, algorithm, auth_data)
     SELECT $1, coalesce(max(version), 0) + 1, $2, $3 FROM e2e_room_keys_versions WHERE user_id = $1
     RETURNING version`,
    [userId, info.algorithm, JSON.stringify(info.authData)],
  );
  return Number(rows[0]!.version);
}

export async function updateBackupAuthData(tx: Queryable, userId: string, version: number, authData: OpaqueBackupData): Promise<void> {
  await tx.query('UPDATE e2e_room_keys_versions SET auth_data = $3 WHERE user_id = $1 AND version = $2', [userId, version, JSON.stringify(authData)]);
}

export async function setBackupEtag(tx: Queryable, userId: string, version: number, etag: number): Promise<void> {
  await tx.query('UPDATE e2e_room_keys_versions SET etag = $3 WHERE user_id = $1 AND version = $2', [userId, version, etag]);
}

/** Deletes the version's keys and marks it deleted (its number is never reused). */
export async function deleteBackupVersion(tx: Queryable, userId: string, version: number): Promise<void> {
  await tx.query('DELETE FROM e2e_room_keys WHERE user_id = $1 AND version = $2', [userId, version]);
  await tx.query('UPDATE e2e_room_keys_versions SET deleted = true WHERE user_id = $1 AND version = $2', [userId, version]);
}

function where(selection: RoomKeySelection): { sql: string; params: string[] } {
  if (selection.roomId === undefined) return { sql: '', params: [] };
  if (selection.sessionId === undefined) return { sql: ' AND room_id = $3', params: [selection.roomId] };
  return { sql: ' AND room_id = $3 AND session_id = $4', params: [selection.roomId, selection.sessionId] };
}

export async function getRoomKeys(db: Queryable, userId: string, version: number, selection: RoomKeySelection = {}): Promise<RoomKeyRow[]> {
  const filter = where(selection);
  const { rows } = await db.query<{ room_id: string; session_id: string; first_message_index: number; forwarded_count: number; is_verified: boolean; session_data: OpaqueBackupData }>(
    `SELECT room_id, session_id, first_message_index, forwarded_count, is_verified, session_data FROM e2e_room_keys
      WHERE user_id = $1 AND version = $2${filter.sql} ORDER BY room_id, session_id`,
    [userId, version, ...filter.params],
  );
  return rows.map((r) => ({
    roomId: r.room_id,
    sessionId: r.session_id,
    firstMessageIndex: Number(r.first_message_index),
    forwardedCount: Number(r.forwarded_count),
    isVerified: r.is_verified,
    sessionData: r.session_data,
  }));
}

/** Stored keys of the given rooms (for comparing an upload with what is there). */
export async function getRoomKeysOfRooms(db: Queryable, userId: string, version: number, roomIds: readonly string[]): Promise<RoomKeyRow[]> {
  if (roomIds.length === 0) return [];
  const { rows } = await db.query<{ room_id: string; session_id: string; first_message_index: number; forwarded_count: number; is_verified: boolean }>(
    `SELECT room_id, session_id, first_message_index, forwarded_count, is_verified FROM e2e_room_keys
      WHERE user_id = $1 AND version = $2 AND room_id = ANY($3::text[])`,
    [userId, version, [...roomIds]],
  );
  // session_data is not needed to compare and may be large.
  return rows.map((r) => ({ roomId: r.room_id, sessionId: r.session_id, firstMessageIndex: Number(r.first_message_index), forwardedCount: Number(r.forwarded_count), isVerified: r.is_verified, sessionData: {} }));
}

export async function upsertRoomKey(tx: Queryable, userId: string, version: number, key: RoomKeyRow): Promise<void> {
  await tx.query(
    `INSERT INTO e2e_room_keys (user_id, version, room_id, session_id, first_message_index, forwarded_count, is_verified, session_data)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (user_id, version, room_id, session_id) DO UPDATE SET first_message_index = EXCLUDED.first_message_index,
       forwarded_count = EXCLUDED.forwarded_count, is_verified = EXCLUDED.is_verified, session_data = EXCLUDED.session_data`,
    [userId, version, key.roomId, key.sessionId, key.firstMessageIndex, key.forwardedCount, key.isVerified, JSON.stringify(key.sessionData)],
  );
}

/** Deletes the selected keys; returns how many there were. */
export async function deleteRoomKeys(tx: Queryable, userId: string, version: number, selection: RoomKeySelection = {}): Promise<number> {
  const filter = where(selection);
  const { rowCount } = await tx.query(`DELETE FROM e2e_room_keys WHERE user_id = $1 AND version = $2${filter.sql}`, [userId, version, ...filter.params]);
  return rowCount;
}

export async function countRoomKeys(db: Queryable, userId: string, version: number): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM e2e_room_keys WHERE user_id = $1 AND version = $2', [userId, version]);
  return rows[0]?.n ?? 0;
}
