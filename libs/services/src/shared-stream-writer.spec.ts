// One writer per (transport, stream, instance): shared while held, closed by the last release.
import { openDatabase, type Database } from '@homeserver/storage';
import { InProcessHub, InProcessTransport } from '@homeserver/transport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceListsStream, recordDeviceListChanges } from './device-lists-stream.ts';
import { acquireStreamWriter } from './shared-stream-writer.ts';

let db: Database;
const hub = new InProcessHub();
let transport: InProcessTransport;

beforeAll(async () => {
  db = await openDatabase({ kind: 'pglite' });
  transport = new InProcessTransport({ hub });
});
afterAll(async () => {
  await transport.close();
  await db.close();
});

const changesOf = async (userId: string) =>
  (await db.query<{ device_id: string }>('SELECT device_id FROM device_list_changes WHERE user_id = $1 ORDER BY position', [userId])).rows.map((r) => r.device_id);

describe('acquireStreamWriter', () => {
  it('hands every holder in a process the same writer and closes it with the last release', async () => {
    const [a, b] = await Promise.all([
      acquireStreamWriter(deviceListsStream, { db, transport, instanceName: 'main' }),
      acquireStreamWriter(deviceListsStream, { db, transport, instanceName: 'main' }),
    ]);
    expect(a.writer).toBe(b.writer);
    await a.release();
    await a.release();
    // Still open for the other holder.
    await b.writer.write((tx) => recordDeviceListChanges(tx, { instanceName: 'main', userId: '@s:test', deviceIds: ['D1', 'D2', 'D1'] }));
    expect(await changesOf('@s:test')).toEqual(['D1', 'D2']);
    await b.release();
    await expect(b.writer.write((tx) => tx.allocate())).rejects.toThrow(/closed/);
    const c = await acquireStreamWriter(deviceListsStream, { db, transport, instanceName: 'main' });
    expect(c.writer).not.toBe(a.writer);
    await c.release();
  });

  it('keeps separate writers per instance name and per transport (process)', async () => {
    const other = new InProcessTransport({ hub });
    const main = await acquireStreamWriter(deviceListsStream, { db, transport, instanceName: 'main' });
    const w2 = await acquireStreamWriter(deviceListsStream, { db, transport, instanceName: 'w2' });
    const elsewhere = await acquireStreamWriter(deviceListsStream, { db, transport: other, instanceName: 'w3' });
    expect(new Set([main.writer, w2.writer, elsewhere.writer]).size).toBe(3);
    for (const held of [main, w2, elsewhere]) await held.release();
    await other.close();
  });
});
