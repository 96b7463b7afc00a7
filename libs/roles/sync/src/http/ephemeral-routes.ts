// Routes of the ephemeral/user streams: typing, receipts, read markers, presence, to-device
// and end-to-end keys. Each write goes to its stream's writer actor (wherever stream_writers
// puts it), so /sync wakes from it.
import { forbidden, invalidParam, notFound } from '@homeserver/http';
import { claimLocalKeys, localDeviceKeys, PRESENCE_STATES, storedCrossSigningKeys, type DeviceListWrites, type EphemeralWrites } from '@homeserver/services';
import { currentMembership, eventLocation, getPresence } from '@homeserver/storage';
import type { FastifyInstance } from 'fastify';
import { uploadKeys, type UploadKeysBody } from '../ephemeral/key-service.ts';
import { claimRemoteKeys, keysTimeoutMs, queryRemoteKeys, serverOfUser, type RemoteE2eKeysDeps } from '../remote-devices/remote-e2e-keys.ts';
import type { RoomAccountData } from './room-account-data.ts';
import { eventIdParam, roomIdParam, userIdParam } from './id-params.ts';
import { clientPaths, type RouteDeps } from './route-deps.ts';

export interface EphemeralRouteDeps extends RouteDeps {
  /** The writer actors of typing, receipts, presence and to_device, wherever they run. */
  readonly writes: EphemeralWrites;
  /** Key uploads change device lists (published by the device_lists writer, wherever it runs). */
  readonly deviceLists: DeviceListWrites;
  /** Where m.fully_read is stored (room account data, owned by CS-accounts). */
  readonly roomAccountData: RoomAccountData;
  /** Keys of users on other servers: the device list cache and their servers. */
  readonly remoteKeys: RemoteE2eKeysDeps;
}

const objectBody = { type: 'object' } as const;

export function registerEphemeralRoutes(app: FastifyInstance, deps: EphemeralRouteDeps): void {
  const { db } = deps;

  async function requireJoined(roomId: string, userId: string): Promise<void> {
    if ((await currentMembership(db, roomId, userId)) !== 'join') {
      throw forbidden(`cannot act in room ${roomId} as ${userId}: the user is not joined to it`);
    }
  }

  async function requireEventInRoom(eventId: string, roomId: string): Promise<void> {
    const where = await eventLocation(db, eventId);
    if (!where || where.roomId !== roomId) throw notFound(`cannot find event ${eventId} in room ${roomId}`);
  }

  for (const url of clientPaths('/rooms/:roomId/typing/:userId')) {
    app.put<{ Params: { roomId: string; userId: string }; Body: { typing: boolean; timeout?: number } }>(url, {
      schema: { body: { type: 'object', required: ['typing'], properties: { typing: { type: 'boolean' }, timeout: { type: 'integer', minimum: 0 } } } },
    }, async (request) => {
      const requester = await deps.authenticate(request);
      const roomId = roomIdParam(request.params.roomId);
      const userId = userIdParam(request.params.userId);
      if (userId !== requester.userId) throw forbidden(`cannot set typing for ${userId}: you are ${requester.userId}`);
      await requireJoined(roomId, userId);
      await deps.writes.setTyping(roomId, userId, { typing: request.body.typing, timeoutMs: request.body.timeout });
      return {};
    });
  }

  for (const url of clientPaths('/rooms/:roomId/receipt/:receiptType/:eventId')) {
    app.post<{ Params: { roomId: string; receiptType: string; eventId: string }; Body: { thread_id?: string } | undefined }>(url, {
      schema: { body: { type: ['object', 'null'], properties: { thread_id: { type: 'string', minLength: 1 } } } },
    }, async (request) => {
      const requester = await deps.authenticate(request);
      const roomId = roomIdParam(request.params.roomId);
      const eventId = eventIdParam(request.params.eventId);
      const { receiptType } = request.params;
      if (!['m.read', 'm.read.private', 'm.fully_read'].includes(receiptType)) {
        throw invalidParam(`cannot send receipt of type ${JSON.stringify(receiptType)}: expected m.read, m.read.private or m.fully_read`);
      }
      const threadId = request.body?.thread_id;
      if (receiptType === 'm.fully_read' && threadId !== undefined) throw invalidParam('cannot send a threaded m.fully_read receipt: fully-read markers are unthreaded');
      await requireJoined(roomId, requester.userId);
      await requireEventInRoom(eventId, roomId);
      if (receiptType === 'm.fully_read') {
        await deps.roomAccountData.set(requester.userId, roomId, 'm.fully_read', { event_id: eventId });
      } else {
        await deps.writes.sendReceipt({ roomId, userId: requester.userId, receiptType, eventId, threadId, ts: deps.clock.now() });
      }
      return {};
    });
  }

  for (const url of clientPaths('/rooms/:roomId/read_markers')) {
    app.post<{ Params: { roomId: string }; Body: Record<string, string | undefined> }>(url, {
      schema: {
        body: {
          type: 'object',
          properties: { 'm.fully_read': { type: 'string' }, 'm.read': { type: 'string' }, 'm.read.private': { type: 'string' } },
        },
      },
    }, async (request) => {
      const requester = await deps.authenticate(request);
      const roomId = roomIdParam(request.params.roomId);
      await requireJoined(roomId, requester.userId);
      const body = request.body;
      for (const key of ['m.fully_read', 'm.read', 'm.read.private']) {
        const eventId = body[key];
        if (eventId === undefined) continue;
        eventIdParam(eventId);
        await requireEventInRoom(eventId, roomId);
      }
      if (body['m.fully_read'] !== undefined) {
        await deps.roomAccountData.set(requester.userId, roomId, 'm.fully_read', { event_id: body['m.fully_read'] });
      }
      for (const receiptType of ['m.read', 'm.read.private']) {
        const eventId = body[receiptType];
        if (eventId !== undefined) await deps.writes.sendReceipt({ roomId, userId: requester.userId, receiptType, eventId, ts: deps.clock.now() });
      }
      return {};
    });
  }

  for (const url of clientPaths('/presence/:userId/status')) {
    app.put<{ Params: { userId: string }; Body: { presence: string; status_msg?: string } }>(url, {
      schema: {
        body: { type: 'object', required: ['presence'], properties: { presence: { type: 'string', enum: [...PRESENCE_STATES] }, status_msg: { type: 'string' } } },
      },
    }, async (request) => {
      const requester = await deps.authenticate(request);
      const userId = userIdParam(request.params.userId);
      if (userId !== requester.userId) throw forbidden(`cannot set presence for ${userId}: you are ${requester.userId}`);
      await deps.writes.setPresence(userId, { state: request.body.presence, statusMsg: request.body.status_msg, now: deps.clock.now() });
      return {};
    });
    app.get<{ Params: { userId: string } }>(url, async (request) => {
      await deps.authenticate(request);
      const userId = userIdParam(request.params.userId);
      const presence = await getPresence(db, userId);
      if (!presence) return { presence: 'offline' };
      const out: Record<string, unknown> = {
        presence: presence.state,
        last_active_ago: Math.max(0, deps.clock.now() - presence.lastActiveTs),
        currently_active: presence.currentlyActive,
      };
      if (presence.statusMsg !== undefined) out['status_msg'] = presence.statusMsg;
      return out;
    });
  }

  for (const url of clientPaths('/sendToDevice/:eventType/:txnId')) {
    app.put<{ Params: { eventType: string; txnId: string }; Body: { messages: Record<string, Record<string, Record<string, unknown>>> } }>(url, {
      schema: {
        body: {
          type: 'object',
          required: ['messages'],
          properties: { messages: { type: 'object', additionalProperties: { type: 'object', additionalProperties: { type: 'object' } } } },
        },
      },
    }, async (request) => {
      const requester = await deps.authenticate(request);
      for (const userId of Object.keys(request.body.messages)) userIdParam(userId);
      await deps.writes.sendToDevice({
        sender: requester.userId,
        senderDevice: requester.deviceId,
        txnId: request.params.txnId,
        type: request.params.eventType,
        messages: request.body.messages,
        now: deps.clock.now(),
      });
      return {};
    });
  }

  for (const url of clientPaths('/keys/upload')) {
    app.post<{ Body: UploadKeysBody }>(url, {
      schema: {
        body: { type: 'object', properties: { device_keys: objectBody, one_time_keys: objectBody, fallback_keys: objectBody } },
      },
    }, async (request) => {
      const requester = await deps.authenticate(request);
      const { counts } = await uploadKeys(db, deps.deviceLists, requester, request.body ?? {});
      return { one_time_key_counts: counts };
    });
  }

  for (const url of clientPaths('/keys/query')) {
    app.post<{ Body: { device_keys: Record<string, string[]>; timeout?: number } }>(url, {
      schema: {
        body: {
          type: 'object',
          required: ['device_keys'],
          properties: { device_keys: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } }, timeout: { type: 'integer' } },
        },
      },
    }, async (request) => {
      const requester = await deps.authenticate(request);
      const userIds = Object.keys(request.body.device_keys);
      for (const userId of userIds) userIdParam(userId);
      const local = Object.fromEntries(Object.entries(request.body.device_keys).filter(([userId]) => serverOfUser(userId) === deps.serverName));
      const remote = await queryRemoteKeys(deps.remoteKeys, requester.userId, request.body.device_keys, keysTimeoutMs(request.body.timeout));
      const crossSigning = await storedCrossSigningKeys(db, requester.userId, Object.keys(local));
      return {
        device_keys: { ...(await localDeviceKeys(db, local)), ...remote.device_keys },
        master_keys: { ...crossSigning.master_keys, ...remote.master_keys },
        self_signing_keys: { ...crossSigning.self_signing_keys, ...remote.self_signing_keys },
        user_signing_keys: crossSigning.user_signing_keys,
        failures: remote.failures,
      };
    });
  }

  for (const url of clientPaths('/keys/claim')) {
    app.post<{ Body: { one_time_keys: Record<string, Record<string, string>>; timeout?: number } }>(url, {
      schema: {
        body: {
          type: 'object',
          required: ['one_time_keys'],
          properties: {
            one_time_keys: { type: 'object', additionalProperties: { type: 'object', additionalProperties: { type: 'string' } } },
            timeout: { type: 'integer' },
          },
        },
      },
    }, async (request) => {
      await deps.authenticate(request);
      for (const userId of Object.keys(request.body.one_time_keys)) userIdParam(userId);
      const local = Object.fromEntries(Object.entries(request.body.one_time_keys).filter(([userId]) => serverOfUser(userId) === deps.serverName));
      const remote = await claimRemoteKeys(deps.remoteKeys, request.body.one_time_keys, keysTimeoutMs(request.body.timeout));
      return { one_time_keys: { ...(await claimLocalKeys(db, local)), ...remote.one_time_keys }, failures: remote.failures };
    });
  }
}
