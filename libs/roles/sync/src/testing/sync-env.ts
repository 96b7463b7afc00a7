// Test support: the ephemeral test app plus the sync role (views, service, /sync route) and a
// TestRooms writer of the events stream, all on one PGlite database and in-process hub.
import { LiveWriterIds } from '@homeserver/streams';
import { accountDataStream, accountDataWrites, ephemeralWrites } from '@homeserver/services';
import { StoredAccountData } from '../sync/stored-account-data.ts';
import { registerSyncRoutes } from '../http/sync-routes.ts';
import { registerLegacySyncRoutes } from '../http/legacy-routes.ts';
import { LegacySync } from '../sync/legacy-sync.ts';
import { SyncService } from '../sync/sync-service.ts';
import { SyncViews } from '../sync/sync-views.ts';
import { bearer, fakeAuthenticate, openTestEnv, type TestEnv, type TestEnvDatabase } from './test-app.ts';
import { TestRooms } from './test-rooms.ts';

export interface SyncEnv extends TestEnv {
  readonly rooms: TestRooms;
  readonly views: SyncViews;
  /** Writes account data through the account_data writer actor (roomId '' = global). */
  setAccountData(userId: string, roomId: string, type: string, content: Record<string, unknown>): Promise<void>;
  /** GET /sync as the user; returns status and body. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- deep JSON the tests walk freely
  sync(userId: string, query?: Record<string, string>, deviceId?: string): Promise<{ status: number; body: Record<string, any> }>;
}

export interface SyncEnvOptions {
  readonly filters?: Map<string, Record<string, unknown>>;
  readonly database?: TestEnvDatabase;
  /** SyncViewsOptions.dormantAfterMs. Default: the views' default. */
  readonly dormantAfterMs?: number;
}

export async function openSyncEnv(options: SyncEnvOptions = {}): Promise<SyncEnv> {
  let rooms: TestRooms | undefined;
  let views: SyncViews | undefined;
  const presenceSet = new Map<string, string>();
  const env = await openTestEnv({
    fullyReadAsReceipt: true,
    database: options.database,
    register: async (app, partial) => {
      rooms = await TestRooms.start(partial.db, partial.transport);
      views = await SyncViews.start(partial.db, partial.transport, {
        writersOf: () => ['main'],
        accountDataStream,
        ...(options.dormantAfterMs === undefined ? {} : { dormantAfterMs: options.dormantAfterMs }),
      });
      const sync = new SyncService({ db: partial.db, views, writerIds: await LiveWriterIds.load(partial.db, ['main']), accountData: new StoredAccountData(partial.db), sinceWaitMs: 300 });
      // set_presence written to the presence stream when it changes (as main's actor does).
      const setPresence = async (userId: string, state: string) => {
        if (presenceSet.get(userId) === state) return;
        presenceSet.set(userId, state);
        await ephemeralWrites(partial.actors).setPresence(userId, { state, now: Date.now() });
      };
      registerSyncRoutes(app, {
        db: partial.db,
        authenticate: fakeAuthenticate,
        clock: { now: () => Date.now() },
        serverName: 'test',
        sync,
        loadFilter: async (_userId, filterId) => options.filters?.get(filterId),
        setPresence,
      });
      registerLegacySyncRoutes(app, { authenticate: fakeAuthenticate, legacy: new LegacySync(sync, partial.db), setPresence });
    },
  });
  const close = env.close;
  return {
    ...env,
    rooms: rooms!,
    async setAccountData(userId, roomId, type, content) {
      await accountDataWrites(env.actors).set(userId, roomId, type, content);
    },
    views: views!,
    async sync(userId, query = {}, deviceId = 'DEVICE') {
      const search = new URLSearchParams(query).toString();
      const res = await env.app.inject({ method: 'GET', url: `/_matrix/client/v3/sync${search ? `?${search}` : ''}`, headers: bearer(userId, deviceId) });
      return { status: res.statusCode, body: res.json() };
    },
    async close() {
      await views!.stop();
      await rooms!.close();
      await close();
    },
  };
}
