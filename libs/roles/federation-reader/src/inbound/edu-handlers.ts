// The EDUs of an inbound transaction, each checked before it reaches its writer: the user it
// speaks for belongs to the sending server, and for room EDUs (typing, receipts) that user is
// joined and the room's server ACL lets the sender in. A bad EDU is logged and skipped; it
// never fails the transaction (EDUs carry no results).
import { isJsonObject, isValidRoomId, isValidUserId, type JsonObject } from '@homeserver/matrix';
import { currentMembership, type Queryable } from '@homeserver/storage';
import type { Logger } from 'pino';
import type { EduSink } from './edus.ts';
import { serverOf } from '../http/id-params.ts';
import { aclAllows } from './room-access.ts';

export interface EduDeps {
  readonly db: Queryable;
  readonly serverName: string;
  readonly edus: EduSink;
  readonly logger: Logger;
}


function objectEntries(value: unknown): Array<[string, JsonObject]> {
  return isJsonObject(value) ? Object.entries(value).filter((e): e is [string, JsonObject] => isJsonObject(e[1])) : [];
}

async function mayActInRoom(deps: EduDeps, origin: string, roomId: string, userId: string): Promise<boolean> {
  if (!isValidRoomId(roomId) || !isValidUserId(userId) || serverOf(userId) !== origin) return false;
  if (!(await aclAllows(deps.db, roomId, origin))) return false;
  return (await currentMembership(deps.db, roomId, userId)) === 'join';
}

async function typing(content: JsonObject, origin: string, deps: EduDeps): Promise<void> {
  const { room_id: roomId, user_id: userId, typing: on } = content;
  if (typeof roomId !== 'string' || typeof userId !== 'string' || typeof on !== 'boolean') return;
  if (!(await mayActInRoom(deps, origin, roomId, userId))) return;
  await deps.edus.typing({ roomId, userId, typing: on });
}

async function receipts(content: JsonObject, origin: string, deps: EduDeps): Promise<void> {
  for (const [roomId, byType] of objectEntries(content)) {
    for (const [receiptType, byUser] of objectEntries(byType)) {
      for (const [userId, receipt] of objectEntries(byUser)) {
        if (!(await mayActInRoom(deps, origin, roomId, userId))) continue;
        const ids = Array.isArray(receipt['event_ids']) ? receipt['event_ids'].filter((id): id is string => typeof id === 'string') : [];
        const data = isJsonObject(receipt['data']) ? receipt['data'] : {};
        const ts = typeof data['ts'] === 'number' ? data['ts'] : Date.now();
        const threadId = typeof data['thread_id'] === 'string' ? data['thread_id'] : undefined;
        for (const eventId of ids) await deps.edus.receipt({ roomId, userId, receiptType, eventId, ts, ...(threadId ? { threadId } : {}) });
      }
    }
  }
}

async function presence(content: JsonObject, origin: string, deps: EduDeps): Promise<void> {
  const updates = Array.isArray(content['push']) ? content['push'].filter(isJsonObject) : [];
  for (const update of updates) {
    const { user_id: userId, presence: state, status_msg: statusMsg, last_active_ago: ago, currently_active: active } = update;
    if (typeof userId !== 'string' || !isValidUserId(userId) || serverOf(userId) !== origin) continue;
    if (state !== 'online' && state !== 'offline' && state !== 'unavailable') continue;
    await deps.edus.presence({
      userId,
      state,
      ...(typeof statusMsg === 'string' ? { statusMsg } : {}),
      ...(typeof ago === 'number' && ago >= 0 ? { lastActiveAgo: ago } : {}),
      ...(typeof active === 'boolean' ? { currentlyActive: active } : {}),
    });
  }
}

async function toDevice(content: JsonObject, origin: string, deps: EduDeps): Promise<void> {
  const { sender, type, message_id: messageId, messages } = content;
  if (typeof sender !== 'string' || !isValidUserId(sender) || serverOf(sender) !== origin) return;
  if (typeof type !== 'string' || typeof messageId !== 'string' || !isJsonObject(messages)) return;
  // Only our users' devices are delivered here.
  const local = Object.fromEntries(objectEntries(messages).filter(([userId]) => isValidUserId(userId) && serverOf(userId) === deps.serverName));
  if (Object.keys(local).length === 0) return;
  await deps.edus.toDevice({ sender, type, messageId, messages: local as never });
}

const isStreamId = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

async function deviceList(content: JsonObject, origin: string, deps: EduDeps): Promise<void> {
  const { user_id: userId, device_id: deviceId, stream_id: streamId, prev_id: prevId, deleted, device_display_name: name, keys } = content;
  if (typeof userId !== 'string' || !isValidUserId(userId) || serverOf(userId) !== origin || typeof deviceId !== 'string' || !isStreamId(streamId)) return;
  // prev_id "may be missing or empty for the first EDU in a sequence".
  const prevIds = prevId === undefined ? [] : Array.isArray(prevId) && prevId.every(isStreamId) ? prevId : undefined;
  if (prevIds === undefined) return;
  await deps.edus.deviceList({
    userId,
    deviceId,
    streamId,
    prevIds,
    deleted: deleted === true,
    ...(typeof name === 'string' ? { displayName: name } : {}),
    ...(isJsonObject(keys) ? { keys } : {}),
  });
}

async function signingKeys(content: JsonObject, origin: string, deps: EduDeps): Promise<void> {
  const { user_id: userId, master_key: masterKey, self_signing_key: selfSigningKey } = content;
  if (typeof userId !== 'string' || !isValidUserId(userId) || serverOf(userId) !== origin) return;
  if (!isJsonObject(masterKey) && !isJsonObject(selfSigningKey)) return;
  await deps.edus.signingKeys({ userId, ...(isJsonObject(masterKey) ? { masterKey } : {}), ...(isJsonObject(selfSigningKey) ? { selfSigningKey } : {}) });
}

const HANDLERS: Record<string, (content: JsonObject, origin: string, deps: EduDeps) => Promise<void>> = {
  'm.typing': typing,
  'm.receipt': receipts,
  'm.presence': presence,
  'm.direct_to_device': toDevice,
  'm.device_list_update': deviceList,
  'm.signing_key_update': signingKeys,
};

export async function processEdus(txn: { origin: string; txnId: string; edus: readonly unknown[] }, deps: EduDeps): Promise<void> {
  for (const edu of txn.edus) {
    if (!isJsonObject(edu) || typeof edu['edu_type'] !== 'string' || !isJsonObject(edu['content'])) continue;
    const handler = HANDLERS[edu['edu_type']];
    if (!handler) continue;
    try {
      await handler(edu['content'], txn.origin, deps);
    } catch (error) {
      deps.logger.warn({ err: error, origin: txn.origin, txnId: txn.txnId, eduType: edu['edu_type'] }, 'an inbound EDU could not be handled');
    }
  }
}
