// Test support: one PGlite database, an in-process transport, the stream writers and a
// Fastify app whose auth hook reads `Authorization: Bearer <user_id>|<device_id>`.
import { createProcessMetrics, createServer, missingToken } from '@homeserver/http';
import type { Requester } from '@homeserver/services';
import { openDatabase, type Database } from '@homeserver/storage';
import { validateResponse } from '@homeserver/testing';
import { InProcessHub, InProcessTransport } from '@homeserver/transport';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { pino } from 'pino';
import { ActorSystem } from '@homeserver/actors';
import { deviceListWrites, ephemeralWrites, remoteDeviceLists } from '@homeserver/services';
// Test-only composition of two roles, as an app composes them at run time: the routes' writes
// go to the stream writers' actors, which must run somewhere.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { hostStreamWriters, WRITER_STREAMS, type TypingService } from '@homeserver/role-stream-writers';
import { registerEphemeralRoutes } from '../http/ephemeral-routes.ts';
import { FullyReadReceipts } from '../http/fully-read-receipts.ts';
import type { RoomAccountData } from '../http/room-account-data.ts';

export const logger = pino({ level: 'silent' });

export async function fakeAuthenticate(request: FastifyRequest): Promise<Requester> {
  const header = request.headers.authorization;
  if (!header?.startsWith('Bearer ')) throw missingToken();
  const [userId, deviceId] = header.slice('Bearer '.length).split('|');
  return { userId: userId!, deviceId: deviceId ?? 'DEVICE', accessTokenId: 1, isGuest: false };
}

export function bearer(userId: string, deviceId = 'DEVICE'): Record<string, string> {
  return { authorization: `Bearer ${userId}|${deviceId}` };
}

/** Room account data kept in memory, standing in for CS-accounts' store. */
export class MemoryRoomAccountData implements RoomAccountData {
  readonly data = new Map<string, Record<string, unknown>>();
  async set(userId: string, roomId: string, type: string, content: Record<string, unknown>): Promise<void> {
    this.data.set(`${userId} ${roomId} ${type}`, content);
  }
}

export interface TestEnv {
  readonly db: Database;
  readonly hub: InProcessHub;
  readonly transport: InProcessTransport;
  /** The process's actors: the ephemeral writer kinds are hosted here. */
  readonly actors: ActorSystem;
  readonly typing: TypingService;
  readonly roomAccountData: MemoryRoomAccountData;
  readonly app: FastifyInstance;
  /** Responses that broke the v1.19 spec schema of their endpoint and status (checked on every response). */
  readonly violations: string[];
  close(): Promise<void>;
}

/** Where a test env keeps its data: a fresh PGlite by default, or a database the test made (and drops after). */
export interface TestEnvDatabase {
  open(): Promise<Database>;
  /** Called after the database is closed. Default: nothing. */
  drop?(): Promise<void>;
}

export async function openTestEnv(
  options: { fullyReadAsReceipt?: boolean; database?: TestEnvDatabase; register?: (app: FastifyInstance, env: Omit<TestEnv, 'app' | 'close' | 'violations'>) => Promise<void> | void } = {},
): Promise<TestEnv> {
  const db = options.database ? await options.database.open() : await openDatabase({ kind: 'pglite' });
  const hub = new InProcessHub();
  const transport = new InProcessTransport({ hub });
  const actors = new ActorSystem({ instance: 'main' });
  const hosted = await hostStreamWriters({ db, transport, actors, instanceName: 'main', streams: new Set(WRITER_STREAMS), heartbeatMs: 200 });
  const deviceLists = deviceListWrites(db, actors);
  const typing = hosted.typing!;
  const writes = ephemeralWrites(actors);
  const roomAccountData = new MemoryRoomAccountData();
  const fullyRead = options.fullyReadAsReceipt ? new FullyReadReceipts(writes) : roomAccountData;
  const app = await createServer({ logger, metrics: createProcessMetrics({ workerName: 'main', workerApp: 'main' }) });
  const clock = { now: () => Date.now() };
  const violations: string[] = [];
  app.addHook('onSend', async (request, reply, payload) => {
    if (typeof payload !== 'string' || !request.url.startsWith('/_matrix/client/')) return payload;
    try {
      validateResponse(request.method, request.url.split('?')[0]!, reply.statusCode, JSON.parse(payload));
    } catch (error) {
      violations.push(`${request.method} ${request.url} ${reply.statusCode}: ${(error as Error).message}`);
    }
    return payload;
  });
  // No other server is reachable from these tests: asking one fails, as an unreachable server does.
  const federation = {
    request: async () => {
      throw Object.assign(new Error('no federation in this test'), { status: 0 });
    },
  };
  const remoteKeys = { db, serverName: 'test', federation, lists: remoteDeviceLists(actors), logger };
  registerEphemeralRoutes(app, { db, authenticate: fakeAuthenticate, clock, serverName: 'test', writes, deviceLists, roomAccountData: fullyRead, remoteKeys });
  const partial = { db, hub, transport, actors, typing, roomAccountData };
  await options.register?.(app, partial);
  await app.ready();
  return {
    ...partial,
    app,
    violations,
    async close() {
      await app.close();
      await actors.stop();
      await hosted.stop();
      await transport.close();
      await db.close();
      await options.database?.drop?.();
    },
  };
}

/** Marks the user as joined to the room in current state (without events), for ephemeral tests. */
export async function fakeJoin(db: Database, roomId: string, userId: string, eventId = `$join-${userId}-${roomId}`): Promise<void> {
  await db.query(
    `INSERT INTO current_state_events (room_id, type, state_key, event_id, membership, stream_ordering)
     VALUES ($1, 'm.room.member', $2, $3, 'join', 0)
     ON CONFLICT (room_id, type, state_key) DO UPDATE SET membership = 'join', event_id = EXCLUDED.event_id`,
    [roomId, userId, eventId],
  );
}

/** Stores a bare event row so receipts can point at it. */
export async function fakeEvent(db: Database, roomId: string, eventId: string, streamOrdering: number): Promise<void> {
  await db.query(
    `INSERT INTO events (event_id, room_id, type, sender, depth, origin_server_ts, stream_ordering, instance_name, json)
     VALUES ($1, $2, 'm.room.message', '@x:test', 1, 0, $3, 'main', '{}')`,
    [eventId, roomId, streamOrdering],
  );
}
