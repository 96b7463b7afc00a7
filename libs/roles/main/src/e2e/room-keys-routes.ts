// Server-side key backup endpoints (key_backup.yaml): /room_keys/version[/{version}] and
// /room_keys/keys[/{roomId}[/{sessionId}]] with the required `version` query parameter.
import { clientPaths, invalidParam, notFound } from '@homeserver/http';
import { requesterOf } from '@homeserver/services';
import type { OpaqueBackupData, RoomKeyRow } from '@homeserver/storage';
import type { FastifyInstance } from 'fastify';
import type { AccountsDeps } from '../accounts/accounts-deps.ts';
import { RoomKeyBackup, type KeyBackupData, type RoomKeysUpload } from './room-key-backup.ts';

const keyData = {
  type: 'object',
  required: ['first_message_index', 'forwarded_count', 'is_verified', 'session_data'],
  properties: {
    first_message_index: { type: 'integer', minimum: 0 },
    forwarded_count: { type: 'integer', minimum: 0 },
    is_verified: { type: 'boolean' },
    // Objects per the spec; Synapse also keeps strings (the spec leaves the content opaque).
    session_data: { anyOf: [{ type: 'object' }, { type: 'string' }] },
  },
} as const;
const roomKeys = { type: 'object', required: ['sessions'], properties: { sessions: { type: 'object', additionalProperties: keyData } } } as const;
const allKeys = { type: 'object', required: ['rooms'], properties: { rooms: { type: 'object', additionalProperties: roomKeys } } } as const;
const versionInfo = {
  type: 'object',
  required: ['algorithm', 'auth_data'],
  properties: { algorithm: { type: 'string', minLength: 1 }, auth_data: { anyOf: [{ type: 'object' }, { type: 'string' }] }, version: { type: 'string' } },
} as const;
const versionQuery = { type: 'object', required: ['version'], properties: { version: { type: 'string' } } } as const;

interface Params {
  roomId?: string;
  sessionId?: string;
}

function keyJson(key: RoomKeyRow): KeyBackupData {
  return { first_message_index: key.firstMessageIndex, forwarded_count: key.forwardedCount, is_verified: key.isVerified, session_data: key.sessionData };
}

function roomsJson(keys: readonly RoomKeyRow[]): Record<string, { sessions: Record<string, KeyBackupData> }> {
  const rooms: Record<string, { sessions: Record<string, KeyBackupData> }> = {};
  for (const key of keys) (rooms[key.roomId] ??= { sessions: {} }).sessions[key.sessionId] = keyJson(key);
  return rooms;
}

/**
 * A room ID as the backup stores it: the keys are opaque to the server and never resolved to a
 * room, so any non-empty string is kept, as Synapse does (Sytest backs up keys of `!abcd`).
 */
function backupRoomId(value: string): string {
  if (value === '') throw invalidParam('cannot use an empty room ID in a key backup');
  return value;
}

export function registerRoomKeysRoutes(app: FastifyInstance, deps: Pick<AccountsDeps, 'db' | 'auth'>): void {
  const backup = new RoomKeyBackup(deps.db);
  const authed = deps.auth.preHandler();

  for (const url of clientPaths('/room_keys/version')) {
    app.post<{ Body: { algorithm: string; auth_data: OpaqueBackupData } }>(url, { preHandler: authed, schema: { body: versionInfo } }, async (request) => ({
      version: await backup.createVersion(requesterOf(request).userId, request.body),
    }));
    app.get(url, { preHandler: authed }, async (request) => backup.getVersion(requesterOf(request).userId));
  }

  for (const url of clientPaths('/room_keys/version/:version')) {
    app.get<{ Params: { version: string } }>(url, { preHandler: authed }, async (request) => backup.getVersion(requesterOf(request).userId, request.params.version));
    app.put<{ Params: { version: string }; Body: { algorithm: string; auth_data: OpaqueBackupData; version?: string } }>(
      url,
      { preHandler: authed, schema: { body: versionInfo } },
      async (request) => {
        await backup.updateVersion(requesterOf(request).userId, request.params.version, request.body);
        return {};
      },
    );
    app.delete<{ Params: { version: string } }>(url, { preHandler: authed }, async (request) => {
      await backup.deleteVersion(requesterOf(request).userId, request.params.version);
      return {};
    });
  }

  // The three levels share handlers: the path narrows the selection and wraps the body.
  const levels = [
    { path: '/room_keys/keys', body: allKeys },
    { path: '/room_keys/keys/:roomId', body: roomKeys },
    { path: '/room_keys/keys/:roomId/:sessionId', body: keyData },
  ] as const;
  for (const level of levels) {
    for (const url of clientPaths(level.path)) {
      const selection = (params: Params) => ({ roomId: params.roomId === undefined ? undefined : backupRoomId(params.roomId), sessionId: params.sessionId });

      app.put<{ Params: Params; Querystring: { version: string }; Body: Record<string, unknown> }>(
        url,
        { preHandler: authed, schema: { querystring: versionQuery, body: level.body } },
        async (request) => {
          const { roomId, sessionId } = selection(request.params);
          let rooms: RoomKeysUpload;
          if (roomId === undefined) rooms = Object.fromEntries(Object.entries((request.body as { rooms: Record<string, { sessions: Record<string, KeyBackupData> }> }).rooms).map(([id, room]) => [backupRoomId(id), room.sessions]));
          else if (sessionId === undefined) rooms = { [roomId]: (request.body as { sessions: Record<string, KeyBackupData> }).sessions };
          else rooms = { [roomId]: { [sessionId]: request.body as unknown as KeyBackupData } };
          return backup.uploadKeys(requesterOf(request).userId, request.query.version, rooms);
        },
      );

      app.get<{ Params: Params; Querystring: { version: string } }>(url, { preHandler: authed, schema: { querystring: versionQuery } }, async (request) => {
        const chosen = selection(request.params);
        const keys = await backup.getKeys(requesterOf(request).userId, request.query.version, chosen);
        if (chosen.sessionId !== undefined) {
          if (!keys[0]) throw notFound(`no key of session ${JSON.stringify(chosen.sessionId)} in room ${chosen.roomId} is in backup version ${request.query.version}`);
          return keyJson(keys[0]);
        }
        const rooms = roomsJson(keys);
        return chosen.roomId === undefined ? { rooms } : (rooms[chosen.roomId] ?? { sessions: {} });
      });

      app.delete<{ Params: Params; Querystring: { version: string } }>(url, { preHandler: authed, schema: { querystring: versionQuery } }, async (request) =>
        backup.deleteKeys(requesterOf(request).userId, request.query.version, selection(request.params)),
      );
    }
  }
}
