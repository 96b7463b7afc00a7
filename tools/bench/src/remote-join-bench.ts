// Benchmark: joining a remote room of M members and E events through the room input, on embedded
// PGlite or PostgreSQL: a simulated remote server (FakeRemoteRoom) holds the room; its send_join
// answer (state + auth chain) goes through joinRemoteRoom's checks (signatures, hashes, auth in
// auth order) and one commit. Prints the answer's size and the time to persist it.
// Run: npx node tools/bench/src/remote-join-bench.ts [--members=1000] [--events=5000] [--storage=pglite|postgres]
// The two-instance version (a real resident over TLS) is in remote-join-cluster-bench.ts.
import { ActorSystem } from '@homeserver/actors';
import { SigningKey, type JsonObject } from '@homeserver/matrix';
import { roomActorDefinition } from '@homeserver/role-event-persister';
import { eventsStream, RoomClient } from '@homeserver/services';
import { openDatabase, type EventStreamRow } from '@homeserver/storage';
import { createTestDatabase } from '@homeserver/storage/testing';
import { StreamWriter } from '@homeserver/streams';
import { FakeRemoteRoom } from '@homeserver/testing';
import { InProcessTransport } from '@homeserver/transport';

const arg = (name: string, fallback: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const members = Number(arg('members', '1000'));
const events = Number(arg('events', '5000'));
const storage = arg('storage', 'pglite');

const room = new FakeRemoteRoom({ serverName: 'remote.bench' });
const built = performance.now();
for (let i = 0; i < members; i++) {
  const user = `@member${i}:remote.bench`;
  room.send({ type: 'm.room.member', stateKey: user, sender: user, content: { membership: 'join', displayname: `Member ${i}` } });
}
for (let i = room.timeline.length; i < events; i++) {
  const user = `@member${i % members}:remote.bench`;
  room.send({ type: 'm.room.message', sender: user, content: { msgtype: 'm.text', body: `message ${i}` } });
}
process.stdout.write(`remote room: ${room.timeline.length} events, ${room.state.size} state entries (built in ${((performance.now() - built) / 1000).toFixed(1)} s)\n`);

const testDb = storage === 'postgres' ? await createTestDatabase('bench_join') : undefined;
const db = await openDatabase(testDb ? testDb.options : { kind: 'pglite' });
const transport = new InProcessTransport();
const writer = await StreamWriter.start<EventStreamRow>(db, transport, eventsStream, { instanceName: 'main' });
const key = SigningKey.fromSeed(new Uint8Array(32).fill(1), 'bench');
const actors = new ActorSystem({ instance: 'main' });
actors.host(roomActorDefinition({ db, writer, serverName: 'bench.local', signingKey: key, lookupKey: room.lookupKey }));
const client = new RoomClient(actors, db);

const alice = '@alice:bench.local';
const join = room.joinFrom(alice, { serverName: 'bench.local', signingKey: key });
const answer = room.sendJoin(join);
const bytes = Buffer.byteLength(JSON.stringify(answer));
const started = performance.now();
const reply = await client.joinRemoteRoom(room.roomId, { roomVersion: room.version.id, join: join.pdu as JsonObject, state: answer.state, authChain: answer.auth_chain, origin: room.serverName });
const seconds = (performance.now() - started) / 1000;
if (!reply.ok) throw new Error(`join failed: ${reply.kind} ${reply.reason}`);
process.stdout.write(
  `${storage}: send_join answer of ${answer.state.length} state + ${answer.auth_chain.length} auth chain events (${(bytes / 1024).toFixed(0)} KiB) checked and stored in ${seconds.toFixed(2)} s; ${reply.stored} stored, ${reply.rejected} rejected\n`,
);
await actors.stop();
await writer.close();
await transport.close();
await db.close();
await testDb?.drop();
