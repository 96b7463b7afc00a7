// POST /createRoom: the create event is built here (in v12 it defines the room ID), then the
// room actor persists it with the preset's state, initial_state, name, topic and invites in
// one batch. Order and defaults follow the spec's "Creation" section and Synapse.
import { badJson, invalidParam, MatrixError } from '@homeserver/http';
import { buildEvent, isJsonObject, isValidRoomAlias, isValidUserId, type JsonObject, type RoomVersion } from '@homeserver/matrix';
import type { EventTemplate, Requester } from '@homeserver/services';
import { createAlias, deleteAlias, getAlias, nextCreateEventTimestamp } from '@homeserver/storage';
import { randomBytes } from 'node:crypto';
import { failureError, memberContent } from './room-writes.ts';
import { creatableRoomVersion, createEventId } from './creatable-room-version.ts';
import { checkAliasNotExclusive } from './directory-routes.ts';
import type { RoomsDeps } from './rooms-deps.ts';

export interface CreateRoomBody {
  visibility?: 'public' | 'private';
  room_alias_name?: string;
  name?: string;
  topic?: string;
  invite?: string[];
  room_version?: string;
  creation_content?: JsonObject;
  initial_state?: Array<{ type: string; state_key?: string; content: JsonObject }>;
  preset?: 'private_chat' | 'public_chat' | 'trusted_private_chat';
  is_direct?: boolean;
  power_level_content_override?: JsonObject;
}

export const createRoomBodySchema = {
  type: 'object',
  properties: {
    visibility: { type: 'string', enum: ['public', 'private'] },
    room_alias_name: { type: 'string' },
    name: { type: 'string' },
    topic: { type: 'string' },
    invite: { type: 'array', items: { type: 'string' } },
    invite_3pid: { type: 'array' },
    room_version: { type: 'string' },
    creation_content: { type: 'object' },
    initial_state: {
      type: 'array',
      items: { type: 'object', required: ['type', 'content'], properties: { type: { type: 'string' }, state_key: { type: 'string' }, content: { type: 'object' } } },
    },
    preset: { type: 'string', enum: ['private_chat', 'public_chat', 'trusted_private_chat'] },
    is_direct: { type: 'boolean' },
    power_level_content_override: { type: 'object' },
  },
} as const;

function powerLevels(version: RoomVersion, creator: string, preset: string, invitees: readonly string[], override: JsonObject | undefined): JsonObject {
  const users: JsonObject = {};
  // From v12 creators have infinite power and must not be listed.
  if (!version.privilegedCreators) users[creator] = 100;
  if (preset === 'trusted_private_chat') for (const invitee of invitees) users[invitee] = 100;
  if (version.privilegedCreators) delete users[creator];
  const content: JsonObject = {
    users,
    users_default: 0,
    events: {
      'm.room.name': 50,
      'm.room.power_levels': 100,
      'm.room.history_visibility': 100,
      'm.room.canonical_alias': 50,
      'm.room.avatar': 50,
      'm.room.tombstone': 100,
      'm.room.server_acl': 100,
      'm.room.encryption': 100,
    },
    events_default: 0,
    state_default: 50,
    ban: 50,
    kick: 50,
    redact: 50,
    invite: preset === 'public_chat' ? 50 : 0,
    historical: 100,
    notifications: { room: 50 },
  };
  return { ...content, ...(override ?? {}) };
}

/** Creates the room; returns its ID. */
export async function createRoom(deps: RoomsDeps, requester: Requester, body: CreateRoomBody): Promise<string> {
  const versionId = body.room_version ?? deps.defaultRoomVersion ?? '12';
  const version = creatableRoomVersion(versionId);
  const invitees = body.invite ?? [];
  for (const invitee of invitees) if (!isValidUserId(invitee)) throw invalidParam(`invite entry ${JSON.stringify(invitee)} is not a valid user ID`);
  const preset = body.preset ?? (body.visibility === 'public' ? 'public_chat' : 'private_chat');
  let alias: string | undefined;
  if (body.room_alias_name !== undefined) {
    alias = `#${body.room_alias_name}:${deps.serverName}`;
    if (body.room_alias_name === '' || /[:\s#]/.test(body.room_alias_name) || !isValidRoomAlias(alias)) {
      throw invalidParam(`room_alias_name ${JSON.stringify(body.room_alias_name)} is not a valid alias localpart`);
    }
    if (await getAlias(deps.db, alias)) throw new MatrixError(400, 'M_ROOM_IN_USE', `room alias ${alias} is already taken`);
    checkAliasNotExclusive(deps, alias, requester);
  }

  const creationContent: JsonObject = { ...(body.creation_content ?? {}), room_version: version.id };
  if (version.implicitRoomCreator) delete creationContent['creator'];
  else creationContent['creator'] = requester.userId;
  const roomId = version.roomIdIsCreateEventHash ? undefined : `!${randomBytes(12).toString('base64url').replace(/[-_]/g, 'x')}:${deps.serverName}`;
  // A hashed room ID comes from sender, content and timestamp: the user's create events take
  // strictly increasing timestamps, so identical concurrent requests still name different rooms.
  const originServerTs = version.roomIdIsCreateEventHash ? await nextCreateEventTimestamp(deps.db, requester.userId, deps.clock.now()) : deps.clock.now();
  let create;
  try {
    create = buildEvent(
      {
        type: 'm.room.create',
        stateKey: '',
        sender: requester.userId,
        content: creationContent,
        roomId,
        prevEvents: [],
        authEvents: [],
        depth: 1,
        originServerTs,
        eventId: createEventId(version, deps.serverName),
      },
      { roomVersion: version, serverName: deps.serverName, signingKey: deps.signingKey },
    );
  } catch (error) {
    throw badJson(`creation_content is not usable: ${(error as Error).message}`);
  }

  const sender = requester.userId;
  const state = (type: string, content: JsonObject, stateKey = ''): EventTemplate => ({ type, stateKey, content, sender });
  const events: EventTemplate[] = [{ type: 'm.room.member', stateKey: sender, sender, content: await memberContent(deps, sender, 'join') }];
  events.push(state('m.room.power_levels', powerLevels(version, sender, preset, invitees, body.power_level_content_override)));
  if (alias) events.push(state('m.room.canonical_alias', { alias }));
  const initial = new Map<string, EventTemplate>();
  for (const entry of body.initial_state ?? []) {
    if (!isJsonObject(entry.content)) throw badJson('initial_state entries need an object content');
    initial.set(`${entry.type}\u0000${entry.state_key ?? ''}`, state(entry.type, entry.content, entry.state_key ?? ''));
  }
  const presetState: Array<[string, JsonObject]> = [
    ['m.room.join_rules', { join_rule: preset === 'public_chat' ? 'public' : 'invite' }],
    ['m.room.history_visibility', { history_visibility: 'shared' }],
  ];
  if (preset !== 'public_chat') presetState.push(['m.room.guest_access', { guest_access: 'can_join' }]);
  for (const [type, content] of presetState) if (!initial.has(`${type}\u0000`)) events.push(state(type, content));
  events.push(...initial.values());
  if (body.name !== undefined) events.push(state('m.room.name', { name: body.name }));
  if (body.topic !== undefined) events.push(state('m.room.topic', { topic: body.topic }));
  for (const invitee of invitees) {
    const extra: JsonObject = body.is_direct ? { is_direct: true } : {};
    events.push({ type: 'm.room.member', stateKey: invitee, sender, content: await memberContent(deps, invitee, 'invite', extra) });
  }

  if (alias && !(await createAlias(deps.db, { alias, roomId: create.roomId, creator: sender, servers: [deps.serverName] }))) {
    throw new MatrixError(400, 'M_ROOM_IN_USE', `room alias ${alias} is already taken`);
  }
  const result = await deps.rooms.createRoom(create.roomId, { createPdu: create.pdu, roomVersion: version.id, creator: sender, isPublic: body.visibility === 'public', events });
  if (!result.ok) {
    if (alias) await deleteAlias(deps.db, alias);
    // An auth failure here means the request's own state contradicts itself.
    throw result.kind === 'Forbidden' ? badJson(`the requested initial state is not allowed: ${result.reason}`) : failureError(result);
  }
  await deps.waitForEvents?.(result);
  return create.roomId;
}
