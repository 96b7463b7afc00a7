// Test support for the rooms endpoints: PGlite, an in-process transport, the `events` stream
// writer, the room persister actors (hosted as the monolith hosts them) and a Fastify app whose
// auth hook reads `Authorization: Bearer <user_id>|<device_id>`. Responses are checked against
// the v1.19 spec with libs/testing's validator.
import { ActorSystem } from '@homeserver/actors';
import { createProcessMetrics, createServer, missingToken } from '@homeserver/http';
import { SigningKey, type VerifyKeyLookup } from '@homeserver/matrix';
// Test-only composition of two roles, exactly as the monolith composes them at run time; the
// rooms endpoints cannot be exercised without the room actors behind them.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { roomActorDefinition } from '@homeserver/role-event-persister';
import { eventsStream, RoomClient, type Requester } from '@homeserver/services';
import { openDatabase, type Database, type EventStreamRow } from '@homeserver/storage';
import { StreamWriter } from '@homeserver/streams';
import { validateResponse } from '@homeserver/testing';
import { InProcessTransport } from '@homeserver/transport';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { pino } from 'pino';
import { registerRoomsRoutes } from '../register-rooms-routes.ts';
import type { RoomsDeps } from '../rooms-deps.ts';

export const SERVER = 'test.local';

async function fakeAuthenticate(request: FastifyRequest): Promise<Requester> {
  const header = request.headers.authorization;
  if (!header?.startsWith('Bearer ')) throw missingToken();
  const [userId, deviceId] = header.slice('Bearer '.length).split('|');
  return { userId: userId!, deviceId: deviceId ?? 'DEVICE', accessTokenId: 1, isGuest: false };
}

export interface Call {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

export interface RoomsTestEnv {
  readonly db: Database;
  readonly app: FastifyInstance;
  readonly rooms: RoomClient;
  /** Makes a request as `user` (device DEVICE unless given) and validates the response against the spec. */
  call(user: string | undefined, method: 'GET' | 'PUT' | 'POST' | 'DELETE', path: string, payload?: unknown, options?: { device?: string; validate?: boolean }): Promise<Call>;
  /** Creates a room as `user` and returns its ID (asserting success). */
  createRoom(user: string, body?: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

export interface RoomsTestEnvOptions extends Partial<Pick<RoomsDeps, 'messageLimiter' | 'authenticate' | 'clock' | 'federation' | 'accountData'>> {
  /** Other servers' keys the room actors check signatures with. Default: none. */
  readonly lookupKey?: VerifyKeyLookup;
  /** Registers more routes beside the rooms ones, over the same deps. Default: none. */
  readonly extraRoutes?: (app: FastifyInstance, deps: RoomsDeps) => void;
}

export async function openRoomsTestEnv(options: RoomsTestEnvOptions = {}): Promise<RoomsTestEnv> {
  const db = await openDatabase({ kind: 'pglite' });
  const transport = new InProcessTransport();
  const writer = await StreamWriter.start<EventStreamRow>(db, transport, eventsStream, { instanceName: 'main' });
  const signingKey = SigningKey.fromSeed(new Uint8Array(32).fill(3), 'test');
  const actors = new ActorSystem({ instance: 'main' });
  actors.host(roomActorDefinition({ db, writer, serverName: SERVER, signingKey, ...(options.lookupKey ? { lookupKey: options.lookupKey } : {}) }));
  const rooms = new RoomClient(actors, db);
  const app = await createServer({ logger: pino({ level: 'silent' }), metrics: createProcessMetrics({ workerName: 'main', workerApp: 'main' }) });
  const { extraRoutes, lookupKey: _lookupKey, ...overrides } = options;
  const deps: RoomsDeps = { db, rooms, authenticate: fakeAuthenticate, serverName: SERVER, signingKey, clock: { now: () => Date.now() }, ...overrides };
  registerRoomsRoutes(app, deps);
  extraRoutes?.(app, deps);
  await app.ready();

  const call: RoomsTestEnv['call'] = async (user, method, path, payload, options = {}) => {
    const headers: Record<string, string> = user ? { authorization: `Bearer ${user}|${options.device ?? 'DEVICE'}` } : {};
    const response = await app.inject({ method, url: path, headers, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
    const body = response.body === '' ? {} : (JSON.parse(response.body) as Record<string, unknown>);
    if (options.validate ?? true) validateResponse(method, path.split('?')[0]!, response.statusCode, body);
    return { status: response.statusCode, body };
  };

  return {
    db,
    app,
    rooms,
    call,
    async createRoom(user, body = {}) {
      const result = await call(user, 'POST', '/_matrix/client/v3/createRoom', body);
      if (result.status !== 200) throw new Error(`createRoom failed: ${result.status} ${JSON.stringify(result.body)}`);
      return String(result.body['room_id']);
    },
    async close() {
      await app.close();
      await actors.stop();
      await writer.close();
      await transport.close();
      await db.close();
    },
  };
}

/** The path-safe form of an ID. */
export function enc(id: string): string {
  return encodeURIComponent(id);
}
