// What our users' typing, receipts, presence, device changes and to-device messages become on
// the wire, and for which servers: delivered through each consumer's handler on PGlite, then
// sent by the destination queues to a recording client.
import { openDatabase, type Database, type Queryable } from '@homeserver/storage';
import { shardOf, type StreamRecord } from '@homeserver/streams';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DestinationQueues } from '../actors/destination-queues.ts';
import { deliver, plantEvent, RecordingClient } from '../testing/sender-fixtures.ts';
import { deviceListsConsumer, presenceConsumer, receiptsConsumer, skipUnsharedUsers, toDeviceConsumer, typingConsumer } from './edu-consumers.ts';

const US = 'us.test';
const SHARDS = 4;
const ROOM = '!room:us.test';

let db: Database;
let client: RecordingClient;
let queues: DestinationQueues;
const deps = { serverName: US, shards: SHARDS, allows: () => true, wake: (d: string) => queues.wake(d), now: () => 5000 };
let position = 1000;

function record<Row>(data: Row, at = ++position): StreamRecord<Row> {
  return { writer: 'main', position: at, data };
}

async function edusTo(destination: string): Promise<Array<{ edu_type: string; content: Record<string, unknown> }>> {
  await queues.idle();
  return client.sent.filter((t) => t.destination === destination).flatMap((t) => t.body.edus);
}

beforeEach(async () => {
  db = await openDatabase({ kind: 'pglite' });
  client = new RecordingClient();
  queues = new DestinationQueues({ db, client, clock: { now: () => 5000 }, logger: pino({ level: 'silent' }), origin: US });
  for (const userId of ['@alice:us.test', '@bob:a.test', '@carol:b.test']) await plantEvent(db, { roomId: ROOM, sender: userId, membership: 'join' });
});

afterEach(async () => {
  await queues.stop();
  await db.close();
});

describe('EDUs', () => {
  it('typing: a start and a stop of our user for every server in the room; remote users are not echoed', async () => {
    const consumer = typingConsumer(deps);
    const start = record({ roomId: ROOM, userIds: ['@alice:us.test', '@bob:a.test'] });
    await db.query('INSERT INTO typing_stream (position, instance_name, room_id, user_ids) VALUES ($1, $2, $3, $4)', [start.position, 'main', ROOM, JSON.stringify(start.data.userIds)]);
    await deliver(db, consumer, [start], { shards: SHARDS, shardOf });
    expect(await edusTo('a.test')).toEqual([{ edu_type: 'm.typing', content: { room_id: ROOM, user_id: '@alice:us.test', typing: true } }]);
    const stop = record({ roomId: ROOM, userIds: [] });
    await deliver(db, consumer, [stop], { shards: SHARDS, shardOf });
    expect((await edusTo('b.test')).map((e) => e.content['typing'])).toEqual([true, false]);
  });

  it('receipts: our public receipts for the room servers, never private ones or theirs', async () => {
    const consumer = receiptsConsumer(deps);
    const rows = [
      record({ roomId: ROOM, receiptType: 'm.read', userId: '@alice:us.test', threadId: undefined, eventId: '$x', ts: 7 }),
      record({ roomId: ROOM, receiptType: 'm.read.private', userId: '@alice:us.test', threadId: undefined, eventId: '$y', ts: 8 }),
      record({ roomId: ROOM, receiptType: 'm.read', userId: '@bob:a.test', threadId: undefined, eventId: '$z', ts: 9 }),
    ];
    await deliver(db, consumer, rows, { shards: SHARDS, shardOf });
    expect(await edusTo('b.test')).toEqual([{ edu_type: 'm.receipt', content: { [ROOM]: { 'm.read': { '@alice:us.test': { event_ids: ['$x'], data: { ts: 7 } } } } } }]);
  });

  it('presence: only the latest state of a user is sent when several queue up', async () => {
    const consumer = presenceConsumer(deps);
    const online = record({ userId: '@alice:us.test', state: 'online', statusMsg: 'hi', lastActiveTs: 4000, currentlyActive: true });
    const away = record({ userId: '@alice:us.test', state: 'unavailable', statusMsg: undefined, lastActiveTs: 3000, currentlyActive: false });
    await deliver(db, consumer, [online], { shards: SHARDS, shardOf });
    await deliver(db, consumer, [away], { shards: SHARDS, shardOf });
    const pushes = (await edusTo('a.test')).filter((e) => e.edu_type === 'm.presence').map((e) => e.content['push']);
    // The first may have left before the second was queued; the last one sent is the latest.
    expect(pushes.at(-1)).toEqual([{ user_id: '@alice:us.test', presence: 'unavailable', last_active_ago: 2000, currently_active: false }]);
  });

  it('to-device: messages to remote devices go to their server only, with a unique message_id', async () => {
    const consumer = toDeviceConsumer(deps);
    const rows = [
      record({ userId: '@bob:a.test', deviceId: 'PHONE', sender: '@alice:us.test', type: 'm.room_key_request', content: { a: 1 } }),
      record({ userId: '@alice:us.test', deviceId: 'LOCAL', sender: '@alice:us.test', type: 'm.x', content: {} }),
    ];
    await deliver(db, consumer, rows, { shards: SHARDS, shardOf });
    expect(await edusTo('a.test')).toEqual([
      { edu_type: 'm.direct_to_device', content: { sender: '@alice:us.test', type: 'm.room_key_request', message_id: `main-${rows[0]!.position}`, messages: { '@bob:a.test': { PHONE: { a: 1 } } } } },
    ]);
    expect(await edusTo('b.test')).toEqual([]);
  });

  it('device lists: an update with the device keys and the previous change as prev_id, then a deletion', async () => {
    const consumer = deviceListsConsumer({ ...deps, deviceNamesOverFederation: true });
    await db.query("INSERT INTO devices (user_id, device_id, display_name, created_ts) VALUES ('@alice:us.test', 'LAPTOP', 'Laptop', 1)");
    await db.query(`INSERT INTO e2e_device_keys (user_id, device_id, key_json) VALUES ('@alice:us.test', 'LAPTOP', '{"device_id":"LAPTOP"}')`);
    const added = record({ userId: '@alice:us.test', deviceId: 'LAPTOP' });
    await db.query("INSERT INTO device_list_changes (position, instance_name, user_id, device_id) VALUES ($1, 'main', '@alice:us.test', 'LAPTOP')", [added.position]);
    await deliver(db, consumer, [added], { shards: SHARDS, shardOf });
    await db.query("DELETE FROM devices WHERE device_id = 'LAPTOP'");
    const removed = record({ userId: '@alice:us.test', deviceId: 'LAPTOP' });
    await db.query("INSERT INTO device_list_changes (position, instance_name, user_id, device_id) VALUES ($1, 'main', '@alice:us.test', 'LAPTOP')", [removed.position]);
    await deliver(db, consumer, [removed], { shards: SHARDS, shardOf });
    expect(await edusTo('a.test')).toEqual([
      {
        edu_type: 'm.device_list_update',
        content: { user_id: '@alice:us.test', device_id: 'LAPTOP', stream_id: added.position, prev_id: [], deleted: false, device_display_name: 'Laptop', keys: { device_id: 'LAPTOP' } },
      },
      { edu_type: 'm.device_list_update', content: { user_id: '@alice:us.test', device_id: 'LAPTOP', stream_id: removed.position, prev_id: [added.position], deleted: true } },
    ]);
  });

  it('device lists: names stay home unless allow_device_name_lookup_over_federation; new cross-signing keys go as m.signing_key_update, outside the prev_id chain', async () => {
    const consumer = deviceListsConsumer(deps);
    await db.query("INSERT INTO devices (user_id, device_id, display_name, created_ts) VALUES ('@alice:us.test', 'PHONE', 'Phone', 1)");
    const master = { user_id: '@alice:us.test', usage: ['master'], keys: { 'ed25519:MASTER': 'MASTER' } };
    const userSigning = { user_id: '@alice:us.test', usage: ['user_signing'], keys: { 'ed25519:USK': 'USK' } };
    for (const [type, keyId, json] of [['master', 'MASTER', master], ['user_signing', 'USK', userSigning]] as const) {
      await db.query('INSERT INTO e2e_cross_signing_keys (user_id, key_type, key_id, key_json) VALUES ($1, $2, $3, $4)', ['@alice:us.test', type, keyId, JSON.stringify(json)]);
    }
    const rows = ['PHONE', 'MASTER', 'USK', 'PHONE'].map((deviceId) => record({ userId: '@alice:us.test', deviceId }));
    for (const row of rows) await db.query("INSERT INTO device_list_changes (position, instance_name, user_id, device_id) VALUES ($1, 'main', $2, $3)", [row.position, row.data.userId, row.data.deviceId]);
    await deliver(db, consumer, rows, { shards: SHARDS, shardOf });
    const sent = await edusTo('a.test');
    // The outbox sends coalescing EDUs (signing keys) apart from the others: order across kinds is not kept.
    expect(sent).toHaveLength(3);
    expect(sent).toEqual(
      expect.arrayContaining([
        { edu_type: 'm.device_list_update', content: { user_id: '@alice:us.test', device_id: 'PHONE', stream_id: rows[0]!.position, prev_id: [], deleted: false } },
        { edu_type: 'm.signing_key_update', content: { user_id: '@alice:us.test', master_key: master } },
        // The signing key rows are not in the prev_id chain (an m.signing_key_update has no stream_id).
        { edu_type: 'm.device_list_update', content: { user_id: '@alice:us.test', device_id: 'PHONE', stream_id: rows[3]!.position, prev_id: [rows[0]!.position], deleted: false } },
      ]),
    );
  });

  it('presence and device changes: a batch whose users share no room with another server is skipped, in one query for every shard asking at once', async () => {
    await plantEvent(db, { roomId: '!alone:us.test', sender: '@dave:us.test', membership: 'join' });
    await plantEvent(db, { roomId: '!alone:us.test', sender: '@erin:us.test', membership: 'join' });
    let queries = 0;
    const counted: Queryable = { query: (sql, params) => (queries++, db.query(sql, params)) };
    const skip = skipUnsharedUsers<{ userId: string }>(counted, US);
    const batch = (...userIds: string[]) => userIds.map((userId) => ({ key: userId, record: record({ userId }) }));
    // Dave and Erin share a room with each other only; Frank is in no room.
    expect(await Promise.all(Array.from({ length: SHARDS }, () => skip(batch('@dave:us.test', '@erin:us.test', '@frank:us.test'))))).toEqual([true, true, true, true]);
    expect(queries).toBe(1);
    // Alice shares the room of a.test and b.test: not skipped, whoever else is in the batch.
    expect(await skip(batch('@dave:us.test', '@alice:us.test'))).toBe(false);
  });
});
