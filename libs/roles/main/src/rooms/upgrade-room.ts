// POST /rooms/{roomId}/upgrade: creates the replacement room (new version, `predecessor` in
// its create event, the old room's important state copied), tombstones the old room and
// restricts it so only moderators speak, as the spec's "Room Upgrades" section describes.
import { forbidden, notFound } from '@homeserver/http';
import { authStateFromEvents, buildEvent, parsePdu, requiredPowerLevel, roomVersion, userPowerLevel, type JsonObject } from '@homeserver/matrix';
import type { EventTemplate, Requester } from '@homeserver/services';
import { getCurrentState, getRoom, moveRoomAliases } from '@homeserver/storage';
import type { FastifyInstance } from 'fastify';
import { randomBytes } from 'node:crypto';
import { creatableRoomVersion, createEventId } from './creatable-room-version.ts';
import { roomIdParam } from './path-params.ts';
import { body, clientRoute, params } from './route-helper.ts';
import { failureError, memberContent, sendOrThrow } from './room-writes.ts';
import type { RoomsDeps } from './rooms-deps.ts';
import { copyUserStateOnUpgrade } from './upgrade-user-state.ts';

const COPIED = ['m.room.server_acl', 'm.room.encryption', 'm.room.name', 'm.room.avatar', 'm.room.topic', 'm.room.guest_access', 'm.room.history_visibility', 'm.room.join_rules', 'm.room.power_levels'];

export async function upgradeRoom(deps: RoomsDeps, requester: Requester, oldRoomId: string, newVersionId: string): Promise<string> {
  // The room and the user's right to upgrade it are checked before the version asked for (as Synapse).
  const old = await getRoom(deps.db, oldRoomId);
  if (!old) throw notFound(`room ${oldRoomId} is unknown to this server`);
  const oldVersion = roomVersion(old.roomVersion);
  const state = await getCurrentState(deps.db, oldRoomId);
  const parsed = state.map((e) => parsePdu(e.pdu as JsonObject, oldVersion));
  const auth = authStateFromEvents(parsed);
  const membership = auth.get('m.room.member', requester.userId)?.content['membership'];
  if (membership !== 'join') throw forbidden(`user ${requester.userId} is not in room ${oldRoomId}`);
  if (userPowerLevel(requester.userId, auth, oldVersion) < requiredPowerLevel('m.room.tombstone', true, auth, oldVersion)) {
    throw forbidden(`user ${requester.userId} may not upgrade room ${oldRoomId}`);
  }
  const newVersion = creatableRoomVersion(newVersionId);
  const oldCreate = auth.get('m.room.create', '');
  const content: JsonObject = { room_version: newVersion.id, predecessor: { room_id: oldRoomId } };
  const oldType = oldCreate?.content['type'];
  if (typeof oldType === 'string') content['type'] = oldType;
  // A room closed to federation stays closed (Synapse copies m.federate).
  if (oldCreate?.content['m.federate'] !== undefined) content['m.federate'] = oldCreate.content['m.federate'];
  if (!newVersion.implicitRoomCreator) content['creator'] = requester.userId;
  const roomId = newVersion.roomIdIsCreateEventHash ? undefined : `!${randomBytes(12).toString('base64url').replace(/[-_]/g, 'x')}:${deps.serverName}`;
  const sender = requester.userId;
  // Where the new room's ID is known before its create event (not a hash of it), the tombstone
  // goes first, so the create event names it as the predecessor's last event (as Synapse).
  let tombstoneId: string | undefined;
  if (roomId !== undefined) {
    tombstoneId = await sendOrThrow(deps, oldRoomId, { type: 'm.room.tombstone', stateKey: '', sender, content: { body: 'This room has been replaced', replacement_room: roomId } });
    content['predecessor'] = { room_id: oldRoomId, event_id: tombstoneId };
  }
  const create = buildEvent(
    {
      type: 'm.room.create',
      stateKey: '',
      sender: requester.userId,
      content,
      roomId,
      prevEvents: [],
      authEvents: [],
      depth: 1,
      originServerTs: deps.clock.now(),
      eventId: createEventId(newVersion, deps.serverName),
    },
    { roomVersion: newVersion, serverName: deps.serverName, signingKey: deps.signingKey },
  );
  const events: EventTemplate[] = [{ type: 'm.room.member', stateKey: sender, sender, content: await memberContent(deps, sender, 'join') }];
  for (const type of COPIED) {
    const event = auth.get(type, '');
    if (!event) continue;
    let copied: JsonObject = event.content;
    if (type === 'm.room.power_levels') {
      const users = { ...((copied['users'] as JsonObject | undefined) ?? {}) };
      if (newVersion.privilegedCreators) delete users[sender];
      // The upgrader keeps a level above 100 (Synapse restores the old levels whole).
      else users[sender] = Math.max(100, Number(users[sender] ?? 0));
      copied = { ...copied, users };
    }
    events.push({ type, stateKey: '', sender, content: copied });
  }
  // The new room is made as a private_chat one whose state the old room's overrides, so a room
  // without guest_access gets the preset's can_join (Synapse's clone of a room).
  if (!auth.get('m.room.guest_access', '')) events.push({ type: 'm.room.guest_access', stateKey: '', sender, content: { guest_access: 'can_join' } });
  // Bans carry over (Synapse): a user banned from the old room may not walk into the new one.
  for (const event of parsed) {
    if (event.type === 'm.room.member' && event.stateKey !== undefined && event.content['membership'] === 'ban') {
      events.push({ type: 'm.room.member', stateKey: event.stateKey, sender, content: event.content });
    }
  }
  const result = await deps.rooms.createRoom(create.roomId, { createPdu: create.pdu, roomVersion: newVersion.id, creator: sender, isPublic: old.isPublic, events });
  if (!result.ok) throw failureError(result);
  if (tombstoneId === undefined) await sendOrThrow(deps, oldRoomId, { type: 'm.room.tombstone', stateKey: '', sender, content: { body: 'This room has been replaced', replacement_room: create.roomId } });
  // Restrict the old room: members need moderator power to talk or invite.
  const pl = auth.get('m.room.power_levels', '');
  if (pl) {
    // Above what members get by default, even where that default is 50 or more (Synapse).
    const level = Math.max(50, Number(pl.content['users_default'] ?? 0) + 1);
    const restricted = { ...pl.content, events_default: level, invite: level };
    const sent = await deps.rooms.sendEvent(oldRoomId, { type: 'm.room.power_levels', stateKey: '', sender, content: restricted });
    if (sent.ok) await deps.waitForEvents?.(sent);
  }
  await moveAliases(deps, sender, { oldRoomId, newRoomId: create.roomId }, auth.get('m.room.canonical_alias', '')?.content);
  await copyUserStateOnUpgrade(deps, sender, { oldRoomId, newRoomId: create.roomId });
  return create.roomId;
}

/**
 * The old room's local aliases point at the new room, and its canonical alias moves with them:
 * removed from the old room (its aliases no longer lead there), set in the new one (as Synapse).
 */
async function moveAliases(deps: RoomsDeps, sender: string, rooms: { oldRoomId: string; newRoomId: string }, canonical: JsonObject | undefined): Promise<void> {
  await moveRoomAliases(deps.db, rooms.oldRoomId, rooms.newRoomId);
  if (!canonical || (canonical['alias'] === undefined && canonical['alt_aliases'] === undefined)) return;
  await sendOrThrow(deps, rooms.oldRoomId, { type: 'm.room.canonical_alias', stateKey: '', sender, content: {} });
  await sendOrThrow(deps, rooms.newRoomId, { type: 'm.room.canonical_alias', stateKey: '', sender, content: canonical });
}

export function registerUpgradeRoute(app: FastifyInstance, deps: RoomsDeps): void {
  clientRoute(app, 'POST', '/rooms/:roomId/upgrade', { paths: {}, schema: { body: { type: 'object', required: ['new_version'], properties: { new_version: { type: 'string' }, additional_creators: { type: 'array', items: { type: 'string' } } } } } }, async (request) => {
    const requester = await deps.authenticate(request);
    const roomId = roomIdParam(params(request)['roomId']!);
    return { replacement_room: await upgradeRoom(deps, requester, roomId, String(body(request)['new_version'])) };
  });
}
