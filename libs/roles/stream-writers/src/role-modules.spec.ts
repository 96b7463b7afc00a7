import { ActorSystem } from '@homeserver/actors';
import { accountDataWrites, deviceListWrites, ephemeralWrites, recordDeviceListChanges, type ServerContext } from '@homeserver/services';
import { openDatabase, type Database } from '@homeserver/storage';
import { InProcessHub, InProcessTransport } from '@homeserver/transport';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStreamWritersRole } from './role-modules.ts';

let db: Database;
let transport: InProcessTransport;

function contextFor(workerName: string, streamWriters: Record<string, readonly string[]>): ServerContext {
  return {
    config: { workerName, workerApp: 'sync', instances: { 'event-persister': ['main'] }, streamWriters },
    serverName: 'test',
    instanceName: workerName,
    logger: pino({ level: 'silent' }),
    db,
    transport,
    actors: new ActorSystem({ instance: workerName }),
    clock: { now: () => Date.now() },
  } as unknown as ServerContext;
}

beforeAll(async () => {
  db = await openDatabase({ kind: 'pglite' });
  transport = new InProcessTransport({ hub: new InProcessHub() });
});
afterAll(async () => {
  await transport.close();
  await db.close();
});

describe('stream writers role', () => {
  it('hosts the writer actors of exactly the streams stream_writers names this process for', async () => {
    const ctx = contextFor('sync1', { typing: ['sync1'], presence: ['sync1'], receipts: ['sync2'] });
    const running = await createStreamWritersRole('sync').start(ctx);
    try {
      // to_device defaults to main and receipts are sync2's: neither is hosted here.
      expect(ctx.actors.hostedKinds().sort()).toEqual(['presence', 'typing_writer']);
      const writes = ephemeralWrites(ctx.actors);
      await writes.setTyping('!r:test', '@a:test', { typing: true, timeoutMs: 10_000 });
      await writes.setPresence('@a:test', { state: 'online', now: Date.now() });
      const typing = await db.query<{ instance_name: string; user_ids: string[] }>('SELECT instance_name, user_ids FROM typing_stream');
      expect(typing.rows).toEqual([{ instance_name: 'sync1', user_ids: ['@a:test'] }]);
      const presence = await db.query<{ instance_name: string; state: string }>('SELECT instance_name, state FROM presence');
      expect(presence.rows).toEqual([{ instance_name: 'sync1', state: 'online' }]);
    } finally {
      await ctx.actors.stop();
      await running.stop();
    }
  });

  it('writes account data and publishes queued device-list changes as the named writer, including changes queued while none ran', async () => {
    // An edge committed a device change whose publish reached no writer (none was running).
    await db.transaction((tx) => recordDeviceListChanges(tx, { userId: '@early:test', deviceIds: ['E1'] }));
    const ctx = contextFor('sync1', { account_data: ['sync1'], device_lists: ['sync1'] });
    const running = await createStreamWritersRole('sync').start(ctx);
    try {
      expect(ctx.actors.hostedKinds().sort()).toEqual(['account_data_writer', 'device_lists_writer']);
      await accountDataWrites(ctx.actors).set('@a:test', '', 'm.direct', { '@b:test': ['!r:test'] });
      const { value } = await deviceListWrites(db, ctx.actors).write(async (tx) => {
        await recordDeviceListChanges(tx, { userId: '@a:test', deviceIds: ['D1', 'D2', 'D1'] });
        return 'done';
      });
      expect(value).toBe('done');
      const data = await db.query<{ instance_name: string; content: unknown }>('SELECT instance_name, content FROM account_data');
      expect(data.rows).toEqual([{ instance_name: 'sync1', content: { '@b:test': ['!r:test'] } }]);
      const changes = await db.query<{ instance_name: string; user_id: string; device_id: string }>('SELECT instance_name, user_id, device_id FROM device_list_changes ORDER BY position');
      expect(changes.rows).toEqual([
        { instance_name: 'sync1', user_id: '@early:test', device_id: 'E1' },
        { instance_name: 'sync1', user_id: '@a:test', device_id: 'D1' },
        { instance_name: 'sync1', user_id: '@a:test', device_id: 'D2' },
      ]);
      expect((await db.query('SELECT 1 FROM device_list_outbox')).rows).toEqual([]);
    } finally {
      await ctx.actors.stop();
      await running.stop();
    }
  });

  it('hosts nothing on a process named for no stream', async () => {
    const ctx = contextFor('sync3', {});
    const running = await createStreamWritersRole('sync').start(ctx);
    expect(ctx.actors.hostedKinds()).toEqual([]);
    await running.stop();
  });
});
