// Inbound federation benchmark: a remote server (a signing key the key lookup knows) streams
// PUT /_matrix/federation/v1/send transactions of 50 PDUs over HTTP to the federation-reader
// routes, one transaction in flight (as a sender does per destination), with the room actors
// persisting them; prints PDUs/s for every PDU in one room, and for 50 rooms (one PDU per room
// per transaction). Each PDU is signed and X-Matrix checked, hashed, authorized and committed.
//
//   npx node tools/bench/src/federation-inbound-bench.ts [--transactions=20] [--storage=pglite|postgres|both]
import { ActorSystem } from '@homeserver/actors';
import { xMatrixAuth, type Federation } from '@homeserver/federation';
import { createProcessMetrics, createServer } from '@homeserver/http';
import { buildEvent, roomVersion, SigningKey, signRequest, type JsonObject } from '@homeserver/matrix';
import { roomActorDefinition } from '@homeserver/role-event-persister';
import { registerFederationRoutes, type EduSink } from '@homeserver/role-federation-reader';
import { eventsStream, RoomClient } from '@homeserver/services';
import { openDatabase, type Database, type EventStreamRow } from '@homeserver/storage';
import { createTestDatabase } from '@homeserver/storage/testing';
import { StreamWriter } from '@homeserver/streams';
import { InProcessTransport } from '@homeserver/transport';
import { parseArgs } from 'node:util';
import { pino } from 'pino';

const { values } = parseArgs({ options: { transactions: { type: 'string', default: '20' }, storage: { type: 'string', default: 'pglite' } } });
const TRANSACTIONS = Number(values.transactions);
const PER_TXN = 50;
const SERVER = 'bench.local';
const REMOTE = 'remote.bench';
const V = roomVersion('11');
const localKey = SigningKey.fromSeed(new Uint8Array(32).fill(1), 'bench');
const remoteKey = SigningKey.fromSeed(new Uint8Array(32).fill(2), 'remote');
const ALICE = `@alice:${SERVER}`;
const ROB = `@rob:${REMOTE}`;
const noEdus: EduSink = { typing: async () => {}, receipt: async () => {}, presence: async () => {}, toDevice: async () => {}, deviceList: async () => {}, signingKeys: async () => {} };

interface Chain {
  readonly roomId: string;
  readonly auth: string[];
  /** The room's tip, which the next PDU follows. */
  prev: { readonly eventId: string; readonly depth: number };
}

async function run(db: Database, label: string): Promise<void> {
  const transport = new InProcessTransport();
  const writer = await StreamWriter.start<EventStreamRow>(db, transport, eventsStream, { instanceName: 'main' });
  const lookupKey = (server: string, keyId: string) => (server === REMOTE && keyId === remoteKey.keyId ? { publicKey: remoteKey.publicKey } : undefined);
  const actors = new ActorSystem({ instance: 'main' });
  actors.host(roomActorDefinition({ db, writer, serverName: SERVER, signingKey: localKey, lookupKey }));
  const rooms = new RoomClient(actors, db);
  const federation: Federation = {
    client: { request: () => Promise.reject(new Error('the bench makes no outbound requests')) },
    keys: { lookupKey },
    auth: xMatrixAuth({ serverName: SERVER, lookupKey, allows: (s) => s !== SERVER }),
    allows: (s) => s !== SERVER,
  };
  const logger = pino({ level: 'warn' });
  const app = await createServer({ logger, metrics: createProcessMetrics({ workerName: 'main', workerApp: 'main' }) });
  registerFederationRoutes(app, { db, serverName: SERVER, signingKey: localKey, federation, rooms, edus: noEdus, clock: { now: () => Date.now() }, logger, version: 'bench' });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  let txn = 0;
  const send = async (pdus: JsonObject[]) => {
    const uri = `/_matrix/federation/v1/send/${label}-${++txn}`;
    const body = { origin: REMOTE, origin_server_ts: Date.now(), pdus };
    const authorization = signRequest({ method: 'PUT', uri, origin: REMOTE, destination: SERVER, content: body }, remoteKey);
    const response = await fetch(base + uri, { method: 'PUT', headers: { authorization, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const answer = (await response.json()) as { pdus: Record<string, { error?: string }> };
    const errors = Object.values(answer.pdus ?? {}).filter((r) => r.error !== undefined);
    if (response.status !== 200 || errors.length > 0) throw new Error(`transaction ${uri} answered ${response.status}: ${JSON.stringify(answer).slice(0, 300)}`);
  };
  const remoteEvent = (chain: Chain, fields: { type: string; stateKey?: string; content: JsonObject }) =>
    buildEvent(
      { ...fields, sender: ROB, roomId: chain.roomId, prevEvents: [chain.prev.eventId], authEvents: chain.auth, depth: chain.prev.depth + 1, originServerTs: Date.now() },
      { roomVersion: V, serverName: REMOTE, signingKey: remoteKey },
    );

  /** A room of alice's that rob joined (through /send); PDUs chain on the returned tip. */
  async function room(n: number): Promise<Chain> {
    const roomId = `!bench${n}x${Math.random().toString(36).slice(2)}:${SERVER}`;
    const create = buildEvent({ type: 'm.room.create', stateKey: '', sender: ALICE, content: { room_version: '11' }, roomId, prevEvents: [], authEvents: [], depth: 1, originServerTs: Date.now() }, { roomVersion: V, serverName: SERVER, signingKey: localKey });
    const created = await rooms.createRoom(roomId, {
      createPdu: create.pdu,
      roomVersion: '11',
      creator: ALICE,
      isPublic: true,
      events: [
        { type: 'm.room.member', stateKey: ALICE, sender: ALICE, content: { membership: 'join' } },
        { type: 'm.room.power_levels', stateKey: '', sender: ALICE, content: { users: { [ALICE]: 100 } } },
        { type: 'm.room.join_rules', stateKey: '', sender: ALICE, content: { join_rule: 'public' } },
      ],
    });
    if (!created.ok) throw new Error(created.reason);
    // create, alice's join, power levels, join rules.
    const [, , power, rules] = created.eventIds;
    const tip = (await db.query<{ event_id: string; depth: number }>('SELECT x.event_id, e.depth FROM event_forward_extremities x JOIN events e USING (event_id) WHERE x.room_id = $1', [roomId])).rows[0]!;
    const chain: Chain = { roomId, auth: [create.eventId, power!], prev: { eventId: tip.event_id, depth: Number(tip.depth) } };
    const join = buildEvent(
      { type: 'm.room.member', stateKey: ROB, sender: ROB, content: { membership: 'join' }, roomId, prevEvents: [chain.prev.eventId], authEvents: [create.eventId, power!, rules!], depth: chain.prev.depth + 1, originServerTs: Date.now() },
      { roomVersion: V, serverName: REMOTE, signingKey: remoteKey },
    );
    await send([join.pdu]);
    chain.prev = join;
    chain.auth.push(join.eventId);
    return chain;
  }

  async function measure(name: string, chains: Chain[]): Promise<void> {
    process.stderr.write(`measuring ${label}: ${name}...\n`);
    const started = performance.now();
    let pdus = 0;
    for (let t = 0; t < TRANSACTIONS; t++) {
      const batch: JsonObject[] = [];
      for (let i = 0; i < PER_TXN; i++) {
        const chain = chains[i % chains.length]!;
        const event = remoteEvent(chain, { type: 'm.room.message', content: { msgtype: 'm.text', body: `t${t} m${i}` } });
        chain.prev = event;
        batch.push(event.pdu);
      }
      await send(batch);
      pdus += batch.length;
    }
    const seconds = (performance.now() - started) / 1000;
    process.stdout.write(`${label} ${name}: ${pdus} PDUs in ${TRANSACTIONS} transactions, ${seconds.toFixed(2)} s = ${(pdus / seconds).toFixed(0)} PDUs/s (${((seconds * 1000) / TRANSACTIONS).toFixed(0)} ms per transaction)\n`);
  }

  await measure('1 room', [await room(0)]);
  const many: Chain[] = [];
  for (let n = 0; n < PER_TXN; n++) many.push(await room(n + 1));
  await measure('50 rooms', many);
  await app.close();
  await actors.stop();
  await writer.close();
  await transport.close();
}

const modes = values.storage === 'both' ? ['pglite', 'postgres'] : [values.storage];
for (const mode of modes) {
  if (mode === 'pglite') {
    const db = await openDatabase({ kind: 'pglite' });
    await run(db, 'pglite');
    await db.close();
  } else if (mode === 'postgres') {
    const test = await createTestDatabase('hs_fedbench');
    const db = await openDatabase({ ...test.options, maxConnections: 16 } as never);
    await run(db, 'postgres');
    await db.close();
    await test.drop();
  } else {
    throw new Error(`--storage must be pglite, postgres or both, got ${JSON.stringify(mode)}`);
  }
}
