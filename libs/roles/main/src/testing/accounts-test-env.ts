// Test support: PGlite, the in-process transport, the account_data and device_lists stream
// writer actors and an app with the accounts routes; `call` validates every response against
// the v1.19 spec.
import { ActorSystem } from '@homeserver/actors';
import { createProcessMetrics, createServer } from '@homeserver/http';
// Test-only composition of two roles, as the main app composes them: the accounts routes'
// writes go to the stream writers' actors, which must run somewhere.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { hostStreamWriters } from '@homeserver/role-stream-writers';
import { AccessTokenAuth, accountDataWrites, deviceListWrites, type Clock } from '@homeserver/services';
import { openDatabase, type AccountDataRow, type Database, type DeviceListRow } from '@homeserver/storage';
import type { StreamWriter } from '@homeserver/streams';
import { findOperation, validateResponse } from '@homeserver/testing';
import { InProcessHub, InProcessTransport } from '@homeserver/transport';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { AccountDataService } from '../account-data/account-data-service.ts';
import type { AccountRoomHooks, AccountsDeps, AccountsSettings } from '../accounts/accounts-deps.ts';
import { registerAccountsRoutes } from '../accounts/register-accounts-routes.ts';

export interface CallResult {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

export interface AccountsTestEnv {
  readonly app: FastifyInstance;
  readonly db: Database;
  readonly clock: { now(): number; advance(ms: number): void };
  readonly writer: StreamWriter<AccountDataRow>;
  readonly deviceLists: StreamWriter<DeviceListRow>;
  readonly accountData: AccountDataService;
  readonly roomCalls: Array<[string, string, unknown]>;
  call(method: string, url: string, options?: { body?: unknown; token?: string; raw?: string }): Promise<CallResult>;
  register(username: string, password?: string, extra?: Record<string, unknown>): Promise<{ user_id: string; access_token: string; device_id: string; refresh_token?: string }>;
  close(): Promise<void>;
}

export interface AccountsTestEnvOptions {
  /** Registers more routes beside the accounts ones, over the same deps. Default: none. */
  readonly extraRoutes?: (app: FastifyInstance, deps: AccountsDeps) => void;
  /** Other servers, for profiles of their users. Default: none. */
  readonly federation?: AccountsDeps['federation'];
}

export async function openAccountsTestEnv(settings: Partial<AccountsSettings> = {}, options: AccountsTestEnvOptions = {}): Promise<AccountsTestEnv> {
  const db = await openDatabase({ kind: 'pglite' });
  const transport = new InProcessTransport({ hub: new InProcessHub() });
  const actors = new ActorSystem({ instance: 'main' });
  const hosted = await hostStreamWriters({ db, transport, actors, instanceName: 'main', streams: new Set(['account_data', 'device_lists'] as const), heartbeatMs: 60_000 });
  const [writer, deviceLists] = hosted.writers as [StreamWriter<AccountDataRow>, StreamWriter<DeviceListRow>];
  const accountData = new AccountDataService(db, accountDataWrites(actors));
  let offset = 0;
  const clock: Clock & { advance(ms: number): void } = { now: () => Date.now() + offset, advance: (ms) => void (offset += ms) };
  const logger = pino({ level: 'silent' });
  const app = await createServer({ logger, metrics: createProcessMetrics({ workerName: 'main', workerApp: 'main' }) });
  const roomCalls: Array<[string, string, unknown]> = [];
  const rooms: AccountRoomHooks = {
    onProfileChanged: async (userId, change) => roomCalls.push(['profile', userId, change]),
    leaveAllRooms: async (userId) => roomCalls.push(['leave', userId, null]),
  };
  const deps: AccountsDeps = {
    db,
    clock,
    logger,
    auth: new AccessTokenAuth(db, { clock }),
    accountData,
    deviceLists: deviceListWrites(db, actors),
    rooms,
    ...(options.federation ? { federation: options.federation } : {}),
    settings: {
      serverName: 'test',
      enableRegistration: true,
      passwordHashCost: 1024,
      registrationSharedSecret: 'shh',
      // Generous limits except failed logins, which a test exercises.
      rateLimits: {
        registration: { per_second: 100, burst_count: 1000 },
        loginAddress: { per_second: 100, burst_count: 1000 },
        loginAccount: { per_second: 100, burst_count: 1000 },
        loginFailedAttempts: { per_second: 0.17, burst_count: 3 },
      },
      ...settings,
    },
  };
  registerAccountsRoutes(app, deps);
  options.extraRoutes?.(app, deps);
  await app.ready();

  const call: AccountsTestEnv['call'] = async (method, url, options = {}) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (options.token !== undefined) headers['authorization'] = `Bearer ${options.token}`;
    const payload = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    const response = await app.inject({ method: method as 'GET', url, headers, ...(payload === undefined ? {} : { payload }) });
    const body = response.body === '' ? {} : (response.json() as Record<string, unknown>);
    if (findOperation(method, url) !== undefined) validateResponse(method, url, response.statusCode, body);
    return { status: response.statusCode, body };
  };

  const register: AccountsTestEnv['register'] = async (username, password = 'secret-pw', extra = {}) => {
    const first = await call('POST', '/_matrix/client/v3/register', { body: { username, password, ...extra } });
    if (first.status !== 401) throw new Error(`registering ${username}: expected 401, got ${first.status} ${JSON.stringify(first.body)}`);
    const done = await call('POST', '/_matrix/client/v3/register', {
      body: { username, password, ...extra, auth: { type: 'm.login.dummy', session: first.body['session'] } },
    });
    if (done.status !== 200) throw new Error(`registering ${username}: got ${done.status} ${JSON.stringify(done.body)}`);
    return done.body as { user_id: string; access_token: string; device_id: string };
  };

  return {
    app,
    db,
    clock,
    writer,
    deviceLists,
    accountData,
    roomCalls,
    call,
    register,
    close: async () => {
      await app.close();
      await actors.stop();
      await hosted.stop();
      await transport.close();
      await db.close();
    },
  };
}
