// Benchmark: N concurrent sends to one room through the room actor on embedded PGlite; prints
// events/s, transactions used and the mean batch size. Run: npx node tools/bench/src/group-commit-bench.ts [N]
import { ActorSystem } from '@homeserver/actors';
import { buildEvent, roomVersion, SigningKey } from '@homeserver/matrix';
import { eventsStream, RoomClient } from '@homeserver/services';
import { openDatabase, type EventStreamRow } from '@homeserver/storage';
import { StreamWriter } from '@homeserver/streams';
import { InProcessTransport } from '@homeserver/transport';
import { roomActorDefinition } from '@homeserver/role-event-persister';

const count = Number(process.argv[2] ?? 500);
const db = await openDatabase({ kind: 'pglite' });
const transport = new InProcessTransport();
const writer = await StreamWriter.start<EventStreamRow>(db, transport, eventsStream, { instanceName: 'main' });
const key = SigningKey.fromSeed(new Uint8Array(32).fill(1), 'bench');
const batches: number[] = [];
const actors = new ActorSystem({ instance: 'main' });
actors.host(roomActorDefinition({ db, writer, serverName: 'bench.local', signingKey: key, onBatchCommitted: (_room, n) => batches.push(n) }));
const client = new RoomClient(actors, db);
const alice = '@alice:bench.local';
const create = buildEvent(
  { type: 'm.room.create', stateKey: '', sender: alice, content: { room_version: '12' }, prevEvents: [], authEvents: [], depth: 1, originServerTs: Date.now() },
  { roomVersion: roomVersion('12'), serverName: 'bench.local', signingKey: key },
);
await client.createRoom(create.roomId, {
  createPdu: create.pdu,
  roomVersion: '12',
  creator: alice,
  isPublic: false,
  events: [{ type: 'm.room.member', stateKey: alice, sender: alice, content: { membership: 'join' } }],
});
batches.length = 0;

for (const [label, concurrent] of [['sequential', false], ['concurrent', true]] as const) {
  batches.length = 0;
  const started = performance.now();
  if (concurrent) {
    await Promise.all(Array.from({ length: count }, (_, i) => client.sendEvent(create.roomId, { type: 'm.room.message', sender: alice, content: { body: `m${i}` } })));
  } else {
    for (let i = 0; i < count; i++) await client.sendEvent(create.roomId, { type: 'm.room.message', sender: alice, content: { body: `m${i}` } });
  }
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(
    `${label}: ${count} events in ${seconds.toFixed(2)} s = ${(count / seconds).toFixed(0)} events/s; ${batches.length} transactions, mean batch ${(count / batches.length).toFixed(1)}, max ${Math.max(...batches)}\n`,
  );
}
await actors.stop();
await writer.close();
await transport.close();
await db.close();
