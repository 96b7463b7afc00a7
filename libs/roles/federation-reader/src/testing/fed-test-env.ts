// Test support: the federation routes over PGlite, the room persister actors (hosted as the
// monolith hosts them), and a simulated remote server `remote.test` with its own signing key:
// requests are signed with X-Matrix by that key, events built and signed by it, and requests
// this server makes to it are answered by a handler the test sets.
import { ActorSystem } from '@homeserver/actors';
import { FederationRequestError, xMatrixAuth, type Federation, type FederationRequest } from '@homeserver/federation';
import { createProcessMetrics, createServer } from '@homeserver/http';
import {
  buildEvent,
  roomVersion,
  selectAuthEvents,
  SigningKey,
  signRequest,
  stateKeyOf,
  type JsonObject,
  type RoomEvent,
  type StateKey,
} from '@homeserver/matrix';
// Test-only composition of two roles, exactly as the monolith composes them at run time: the
// federation routes cannot be exercised without the room actors behind them.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { roomActorDefinition } from '@homeserver/role-event-persister';
import { eventsStream, RoomClient } from '@homeserver/services';
import { getCurrentStateIds, getEvent, openDatabase, type Database, type EventStreamRow } from '@homeserver/storage';
import { StreamWriter } from '@homeserver/streams';
import { InProcessTransport } from '@homeserver/transport';
import type { FastifyInstance } from 'fastify';
import { pino, type Logger } from 'pino';
import { registerFederationRoutes } from '../http/register-federation-routes.ts';
import type { EduSink } from '../inbound/edus.ts';

export const SERVER = 'local.test';
export const REMOTE = 'remote.test';
export const OTHER = 'other.test';
export const ALICE = `@alice:${SERVER}`;
export const ROB = `@rob:${REMOTE}`;
export const V = roomVersion('11');
export const localKey = SigningKey.fromSeed(new Uint8Array(32).fill(3), 'local');
export const remoteKey = SigningKey.fromSeed(new Uint8Array(32).fill(9), 'remote');
export const otherKey = SigningKey.fromSeed(new Uint8Array(32).fill(11), 'other');
export const KEYS: Readonly<Record<string, SigningKey>> = { [SERVER]: localKey, [REMOTE]: remoteKey, [OTHER]: otherKey };

/** The X-Matrix header a server signs a request with. */
export function xMatrix(request: { method: string; uri: string; origin: string; destination: string; content?: unknown }, key: SigningKey): string {
  return signRequest({ method: request.method, uri: request.uri, origin: request.origin, destination: request.destination, ...(request.content === undefined ? {} : { content: request.content as JsonObject }) }, key);
}

export interface RecordedEdus {
  readonly typing: unknown[];
  readonly receipts: unknown[];
  readonly presence: unknown[];
  readonly toDevice: unknown[];
  readonly deviceLists: unknown[];
  readonly signingKeys: unknown[];
}

export interface FedTestEnv {
  readonly db: Database;
  readonly app: FastifyInstance;
  readonly rooms: RoomClient;
  readonly edus: RecordedEdus;
  readonly logs: Array<Record<string, unknown>>;
  /** Answers this server's requests to other servers; default: every request fails unreached. */
  remoteHandler: (request: FederationRequest) => Promise<unknown>;
  /** Servers federation_domain_whitelist leaves out. */
  readonly blocked: Set<string>;
  /** A signed request from `origin` (default remote.test) to this server. */
  /** `signedBody`: what the X-Matrix header signs, when it is not `body` (a body that cannot be signed). */
  call(method: 'GET' | 'PUT' | 'POST', uri: string, body?: unknown, options?: { origin?: string; destination?: string; key?: SigningKey; unsigned?: boolean; signedBody?: unknown }): Promise<{ status: number; body: Record<string, unknown> }>;
  /** A public room created by alice; returns its ID. */
  createRoom(options?: { joinRule?: string; historyVisibility?: string; powerLevels?: JsonObject }): Promise<string>;
  /** An event built and signed by `server` (default remote.test) on the room's current state and extremities. */
  remoteEvent(roomId: string, fields: RemoteFields, server?: string): Promise<RoomEvent>;
  extremities(roomId: string): Promise<string[]>;
  currentState(roomId: string): Promise<Map<StateKey, string>>;
  close(): Promise<void>;
}

export interface RemoteFields {
  type: string;
  sender: string;
  content: JsonObject;
  stateKey?: string;
  prevEvents?: string[];
  authFrom?: Map<StateKey, string>;
  depth?: number;
  /** Sign with this key instead of the server's own. */
  key?: SigningKey;
}

function recordingSink(edus: RecordedEdus): EduSink {
  return {
    typing: async (edu) => void edus.typing.push(edu),
    receipt: async (edu) => void edus.receipts.push(edu),
    presence: async (edu) => void edus.presence.push(edu),
    toDevice: async (edu) => void edus.toDevice.push(edu),
    deviceList: async (edu) => void edus.deviceLists.push(edu),
    signingKeys: async (edu) => void edus.signingKeys.push(edu),
  };
}

export async function openFedTestEnv(): Promise<FedTestEnv> {
  const db = await openDatabase({ kind: 'pglite' });
  const transport = new InProcessTransport();
  const writer = await StreamWriter.start<EventStreamRow>(db, transport, eventsStream, { instanceName: 'main' });
  const lookupKey = (server: string, keyId: string) => {
    const key = KEYS[server];
    return key && key.keyId === keyId ? { publicKey: key.publicKey } : undefined;
  };
  const actors = new ActorSystem({ instance: 'main' });
  actors.host(roomActorDefinition({ db, writer, serverName: SERVER, signingKey: localKey, lookupKey }));
  const rooms = new RoomClient(actors, db);
  const logs: Array<Record<string, unknown>> = [];
  const logger: Logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) });
  const edus: RecordedEdus = { typing: [], receipts: [], presence: [], toDevice: [], deviceLists: [], signingKeys: [] };
  const blocked = new Set<string>();
  const env = {} as { remoteHandler: FedTestEnv['remoteHandler'] };
  env.remoteHandler = (request) => Promise.reject(new FederationRequestError(request.destination, 0, 'no remote in this test'));
  const federation: Federation = {
    client: { request: (request) => env.remoteHandler(request) as never },
    keys: { lookupKey },
    // The real inbound check (fed-core), over the keys of this test's servers.
    auth: xMatrixAuth({ serverName: SERVER, lookupKey, allows: (server) => server !== SERVER && !blocked.has(server) }),
    allows: (server) => server !== SERVER && !blocked.has(server),
  };
  const app = await createServer({ logger, metrics: createProcessMetrics({ workerName: 'main', workerApp: 'main' }) });
  let now = 1_700_000_000_000;
  const clock = { now: () => now++ };
  registerFederationRoutes(app, { db, serverName: SERVER, signingKey: localKey, federation, rooms, edus: recordingSink(edus), clock, logger, version: 'test' }, { publicRoomsOverFederation: true });
  await app.ready();

  const extremities = async (roomId: string) => {
    const { rows } = await db.query<{ event_id: string }>('SELECT event_id FROM event_forward_extremities WHERE room_id = $1 ORDER BY event_id', [roomId]);
    return rows.map((r) => r.event_id);
  };
  const currentState = async (roomId: string) => new Map((await getCurrentStateIds(db, roomId)).map((e) => [stateKeyOf(e.type, e.stateKey), e.eventId] as const));

  return Object.assign(env, {
    db,
    app,
    rooms,
    edus,
    logs,
    blocked,
    async call(method: 'GET' | 'PUT' | 'POST', uri: string, body?: unknown, options: { origin?: string; destination?: string; key?: SigningKey; unsigned?: boolean; signedBody?: unknown } = {}) {
      const origin = options.origin ?? REMOTE;
      const headers: Record<string, string> = {};
      const content = 'signedBody' in options ? options.signedBody : body;
      if (!options.unsigned) headers['authorization'] = xMatrix({ method, uri, origin, destination: options.destination ?? SERVER, content }, options.key ?? KEYS[origin] ?? remoteKey);
      const response = await app.inject({ method, url: uri, headers, ...(body === undefined ? {} : { payload: body as object }) });
      return { status: response.statusCode, body: (response.body === '' ? {} : response.json()) as Record<string, unknown> };
    },
    async createRoom(options: { joinRule?: string; historyVisibility?: string; powerLevels?: JsonObject } = {}) {
      const roomId = `!r${Math.random().toString(36).slice(2)}:${SERVER}`;
      const create = buildEvent(
        { type: 'm.room.create', stateKey: '', sender: ALICE, content: { room_version: '11' }, roomId, prevEvents: [], authEvents: [], depth: 1, originServerTs: clock.now() },
        { roomVersion: V, serverName: SERVER, signingKey: localKey },
      );
      const result = await rooms.createRoom(roomId, {
        createPdu: create.pdu,
        roomVersion: '11',
        creator: ALICE,
        isPublic: true,
        events: [
          { type: 'm.room.member', stateKey: ALICE, sender: ALICE, content: { membership: 'join' } },
          { type: 'm.room.power_levels', stateKey: '', sender: ALICE, content: options.powerLevels ?? { users: { [ALICE]: 100 }, users_default: 0, events_default: 0, state_default: 50, ban: 50, kick: 50, invite: 0 } },
          { type: 'm.room.join_rules', stateKey: '', sender: ALICE, content: { join_rule: options.joinRule ?? 'public' } },
          { type: 'm.room.history_visibility', stateKey: '', sender: ALICE, content: { history_visibility: options.historyVisibility ?? 'shared' } },
        ],
      });
      if (!result.ok) throw new Error(`cannot create the test room: ${result.reason}`);
      return roomId;
    },
    async remoteEvent(roomId: string, fields: RemoteFields, server = REMOTE) {
      const prevEvents = fields.prevEvents ?? (await extremities(roomId));
      const prevDepths = await Promise.all(prevEvents.map(async (id) => (await getEvent(db, id))?.depth ?? 0));
      const selectable = { type: fields.type, stateKey: fields.stateKey, sender: fields.sender, content: fields.content, roomVersion: V };
      return buildEvent(
        {
          type: fields.type,
          sender: fields.sender,
          content: fields.content,
          roomId,
          stateKey: fields.stateKey,
          prevEvents,
          authEvents: selectAuthEvents(selectable, fields.authFrom ?? (await currentState(roomId))),
          depth: fields.depth ?? Math.max(0, ...prevDepths) + 1,
          originServerTs: clock.now(),
        },
        { roomVersion: V, serverName: server, signingKey: fields.key ?? KEYS[server] ?? remoteKey },
      );
    },
    extremities,
    currentState,
    async close() {
      await app.close();
      await actors.stop();
      await writer.close();
      await transport.close();
      await db.close();
    },
  }) as FedTestEnv;
}
