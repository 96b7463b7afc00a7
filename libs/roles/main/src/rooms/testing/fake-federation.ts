// A FederationClient that answers as one simulated remote server holding FakeRemoteRooms: the
// requests the client side of federation makes (make_join, send_join v2 or v1, invite v2 or v1, backfill,
// event_auth, query/directory, query/profile, publicRooms), answered from memory. Every request
// is recorded, so tests can assert what was asked of whom.
import { FederationRequestError, type FederationClient, type FederationRequest } from '@homeserver/federation';
import { isJsonObject, parsePdu, roomVersion, signEvent, type JsonObject } from '@homeserver/matrix';
import { fakeRemoteSigningKey, type FakeRemoteRoom } from '@homeserver/testing';

export interface FakeFederationOptions {
  /** The remote server's name. Default: 'remote.test'. */
  readonly serverName?: string;
}

export class FakeFederation implements FederationClient {
  readonly serverName: string;
  readonly rooms = new Map<string, FakeRemoteRoom>();
  readonly aliases = new Map<string, string>();
  readonly profiles = new Map<string, JsonObject>();
  publicRooms: JsonObject[] = [];
  /** Invites the remote server refuses, by invitee. */
  readonly refuseInvites = new Set<string>();
  /** A server from before invite v2: /v2/invite is unknown, /v1/invite answers [200, {event}]. */
  inviteV1Only = false;
  /** A server from before send_join v2: /v2/send_join is unknown, /v1/send_join answers [200, {...}]. */
  sendJoinV1Only = false;
  /** Rooms whose make_join the remote refuses. */
  readonly refuseJoins = new Set<string>();
  /** Rooms whose make_leave the remote refuses. */
  readonly refuseLeaves = new Set<string>();
  readonly requests: FederationRequest[] = [];

  constructor(options: FakeFederationOptions = {}) {
    this.serverName = options.serverName ?? 'remote.test';
  }

  /** As RemoteServers (ctx.federation's client and domain policy). */
  get client(): FederationClient {
    return this;
  }

  allows = (server: string): boolean => server === this.serverName || server === 'unreachable.test';

  addRoom(room: FakeRemoteRoom): FakeRemoteRoom {
    this.rooms.set(room.roomId, room);
    return room;
  }

  async request<T = JsonObject>(request: FederationRequest): Promise<T> {
    this.requests.push(request);
    if (request.destination !== this.serverName) throw new FederationRequestError(request.destination, 0, 'connection refused');
    return this.#answer(request) as T;
  }

  #room(roomId: string): FakeRemoteRoom {
    const room = this.rooms.get(roomId);
    if (!room) throw new FederationRequestError(this.serverName, 404, 'unknown room', 'M_NOT_FOUND');
    return room;
  }

  #answer(request: FederationRequest): JsonObject {
    const url = new URL(request.path, 'https://fake');
    const parts = url.pathname.split('/').map(decodeURIComponent);
    const [, , , , endpoint, a, b] = parts;
    if (endpoint === 'make_join') {
      if (this.refuseJoins.has(a!)) throw new FederationRequestError(this.serverName, 403, 'not invited', 'M_FORBIDDEN');
      return this.#room(a!).makeJoin(b!);
    }
    if (endpoint === 'send_join') {
      const v1 = parts[3] === 'v1';
      if (v1 !== this.sendJoinV1Only) throw new FederationRequestError(this.serverName, 404, `no ${parts[3]} send_join here`, 'M_UNRECOGNIZED');
      const room = this.#room(a!);
      const answer = room.sendJoin(parsePdu(request.body!, room.version));
      return v1 ? ([200, answer] as unknown as JsonObject) : answer;
    }
    if (endpoint === 'make_leave') {
      if (this.refuseLeaves.has(a!)) throw new FederationRequestError(this.serverName, 403, 'not in the room', 'M_FORBIDDEN');
      return this.#room(a!).makeLeave(b!);
    }
    if (endpoint === 'send_leave') {
      const room = this.#room(a!);
      room.add(parsePdu(request.body!, room.version));
      return {};
    }
    if (endpoint === 'invite') {
      // Invites come for rooms of the inviting server: signed with our key, in the version named
      // (v1: the event is the body, its room of version 1).
      const v1 = parts[3] === 'v1';
      if (v1 !== this.inviteV1Only) throw new FederationRequestError(this.serverName, 404, `no ${parts[3]} invite here`, 'M_UNRECOGNIZED');
      const event = v1 ? request.body! : (request.body!['event'] as JsonObject);
      if (this.refuseInvites.has(String(event['state_key']))) throw new FederationRequestError(this.serverName, 403, 'invite refused', 'M_FORBIDDEN');
      const version = roomVersion(v1 ? '1' : String(request.body!['room_version']));
      const signed = { event: signEvent(event, { roomVersion: version, serverName: this.serverName, signingKey: fakeRemoteSigningKey() }) };
      return v1 ? ([200, signed] as unknown as JsonObject) : signed;
    }
    if (endpoint === 'backfill') {
      const room = this.#room(a!);
      const limit = Number(url.searchParams.get('limit') ?? '10');
      return { origin: this.serverName, origin_server_ts: Date.now(), pdus: room.backfill(url.searchParams.getAll('v'), limit).map((e) => e.pdu) };
    }
    if (endpoint === 'event_auth') {
      const room = this.#room(a!);
      return { auth_chain: room.authChain([b!]).map((e) => e.pdu) };
    }
    if (endpoint === 'query' && a === 'directory') {
      const roomId = this.aliases.get(url.searchParams.get('room_alias') ?? '');
      if (!roomId) throw new FederationRequestError(this.serverName, 404, 'unknown alias', 'M_NOT_FOUND');
      return { room_id: roomId, servers: [this.serverName] };
    }
    if (endpoint === 'query' && a === 'profile') {
      const profile = this.profiles.get(url.searchParams.get('user_id') ?? '');
      if (!profile) throw new FederationRequestError(this.serverName, 404, 'unknown user', 'M_NOT_FOUND');
      const field = url.searchParams.get('field');
      return field ? (isJsonObject(profile) && field in profile ? { [field]: profile[field]! } : {}) : profile;
    }
    if (endpoint === 'publicRooms') {
      const term = isJsonObject(request.body?.['filter']) ? String(request.body['filter']['generic_search_term'] ?? '') : '';
      const chunk = this.publicRooms.filter((r) => term === '' || JSON.stringify(r).includes(term));
      return { chunk, total_room_count_estimate: chunk.length };
    }
    throw new FederationRequestError(this.serverName, 404, `no fake for ${request.path}`, 'M_UNRECOGNIZED');
  }
}
