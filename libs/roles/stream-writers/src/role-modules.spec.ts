import { ActorSystem } from '@homeserver/actors';
import { ephemeralWrites, type ServerContext } from '@homeserver/services';
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

  it('hosts nothing on a process named for no stream', async () => {
    const ctx = contextFor('sync3', {});
    const running = await createStreamWritersRole('sync').start(ctx);
    expect(ctx.actors.hostedKinds()).toEqual([]);
    await running.stop();
  });
});
