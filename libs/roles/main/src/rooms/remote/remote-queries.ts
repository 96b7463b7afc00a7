// Questions to other servers on behalf of a client: a room alias of theirs (/query/directory),
// a profile of one of their users (/query/profile), their public room list (/publicRooms).
// Answers are checked for shape before they reach the client.
import { MatrixError, notFound } from '@homeserver/http';
import { isJsonObject, isValidRoomId, type JsonObject } from '@homeserver/matrix';
import { remoteFailure, serverOf, type RemoteServers } from './remote-servers.ts';

function badAnswer(server: string, what: string): MatrixError {
  return new MatrixError(502, 'M_UNKNOWN', `${server} gave an invalid answer to ${what}`);
}

/** The room an alias of another server names, and servers to join it through. */
export async function queryRemoteAlias(remote: RemoteServers, alias: string): Promise<{ roomId: string; servers: string[] }> {
  const server = serverOf(alias)!;
  if (!remote.allows(server)) throw notFound(`room alias ${alias} is on ${server}, which this server does not federate with`);
  let answer: JsonObject;
  try {
    answer = await remote.client.request({ destination: server, method: 'GET', path: `/_matrix/federation/v1/query/directory?room_alias=${encodeURIComponent(alias)}` });
  } catch (error) {
    throw remoteFailure(error, `looking up room alias ${alias}`);
  }
  const roomId = answer['room_id'];
  if (typeof roomId !== 'string' || !isValidRoomId(roomId)) throw badAnswer(server, `the directory query for ${alias}`);
  const servers = Array.isArray(answer['servers']) ? answer['servers'].filter((s): s is string => typeof s === 'string') : [];
  return { roomId, servers: servers.includes(server) ? servers : [server, ...servers] };
}

/** A profile of another server's user: displayname and avatar_url (or just `field`). */
export async function queryRemoteProfile(remote: RemoteServers, userId: string, field?: 'displayname' | 'avatar_url'): Promise<{ displayname?: string; avatar_url?: string }> {
  const server = serverOf(userId)!;
  if (!remote.allows(server)) throw notFound(`profile of ${userId} not found: this server does not federate with ${server}`);
  let answer: JsonObject;
  try {
    const query = `user_id=${encodeURIComponent(userId)}${field ? `&field=${field}` : ''}`;
    answer = await remote.client.request({ destination: server, method: 'GET', path: `/_matrix/federation/v1/query/profile?${query}` });
  } catch (error) {
    throw remoteFailure(error, `looking up the profile of ${userId}`);
  }
  const out: { displayname?: string; avatar_url?: string } = {};
  if (typeof answer['displayname'] === 'string') out.displayname = answer['displayname'];
  if (typeof answer['avatar_url'] === 'string') out.avatar_url = answer['avatar_url'];
  return out;
}

export interface RemotePublicRoomsOptions {
  readonly limit?: number;
  readonly since?: string;
  /** Sent as `filter.generic_search_term` (POST). Default: none (GET). */
  readonly term?: string;
  readonly includeAllNetworks?: boolean;
  readonly thirdPartyInstanceId?: string;
}

/** Another server's public room directory (GET, or POST when searching). */
export async function queryRemotePublicRooms(remote: RemoteServers, server: string, options: RemotePublicRoomsOptions): Promise<JsonObject> {
  if (!remote.allows(server)) throw notFound(`this server does not federate with ${server}`);
  const path = '/_matrix/federation/v1/publicRooms';
  let answer: JsonObject;
  try {
    if (options.term !== undefined || options.thirdPartyInstanceId !== undefined) {
      const body: JsonObject = {};
      if (options.limit !== undefined) body['limit'] = options.limit;
      if (options.since !== undefined) body['since'] = options.since;
      if (options.term !== undefined) body['filter'] = { generic_search_term: options.term };
      if (options.includeAllNetworks !== undefined) body['include_all_networks'] = options.includeAllNetworks;
      if (options.thirdPartyInstanceId !== undefined) body['third_party_instance_id'] = options.thirdPartyInstanceId;
      answer = await remote.client.request({ destination: server, method: 'POST', path, body });
    } else {
      const query = new URLSearchParams();
      if (options.limit !== undefined) query.set('limit', String(options.limit));
      if (options.since !== undefined) query.set('since', options.since);
      if (options.includeAllNetworks !== undefined) query.set('include_all_networks', String(options.includeAllNetworks));
      const text = query.toString();
      answer = await remote.client.request({ destination: server, method: 'GET', path: text ? `${path}?${text}` : path });
    }
  } catch (error) {
    throw remoteFailure(error, `reading the public rooms of ${server}`);
  }
  if (!Array.isArray(answer['chunk'])) throw badAnswer(server, 'publicRooms');
  const out: JsonObject = { chunk: answer['chunk'].filter(isJsonObject) };
  for (const key of ['next_batch', 'prev_batch'] as const) if (typeof answer[key] === 'string') out[key] = answer[key];
  if (typeof answer['total_room_count_estimate'] === 'number') out['total_room_count_estimate'] = answer['total_room_count_estimate'];
  return out;
}
