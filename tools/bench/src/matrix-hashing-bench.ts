// Benchmark of the Matrix core's per-event hashing work: redaction, content hash and
// reference hash (the event ID in v4+) for 100,000 realistic room v11 events. Prints elapsed
// time, events/s per phase, and peak memory (maxRSS).
//   npx node tools/bench/src/matrix-hashing-bench.ts [--events=100000] [--version=11]
import os from 'node:os';
import { computeContentHash, computeReferenceHash, encodeCanonicalJson, encodeUnpaddedBase64, type JsonObject, redactEvent, roomVersion } from '@homeserver/matrix';

function arg(name: string, fallback: string): string {
  const found = process.argv.find((a) => a.startsWith(`--${name}=`));
  return found === undefined ? fallback : found.slice(name.length + 3);
}

const COUNT = Number(arg('events', '100000'));
const version = roomVersion(arg('version', '11'));

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

// Deterministic pseudo-random numbers (xorshift32), so every run hashes the same events.
let seed = 0x9e3779b9;
function rand(n: number): number {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) % n;
}

const WORDS = ['lunch', 'deploy', 'the', 'server', 'is', 'down', 'again', 'matrix', 'room', 'ok', 'thanks', 'ünïcode', '日本語', '🎉', 'federation', 'state'];
function sentence(words: number): string {
  return Array.from({ length: words }, () => WORDS[rand(WORDS.length)]).join(' ');
}
// A pool of distinct hash strings keeps generation cheap; events still differ in content.
const HASH_POOL = Array.from({ length: 4096 }, () => encodeUnpaddedBase64(Uint8Array.from({ length: 32 }, () => rand(256))));
function fakeHash(): string {
  return HASH_POOL[rand(HASH_POOL.length)]!;
}
function fakeEventId(): string {
  return `$${fakeHash().replaceAll('+', '-').replaceAll('/', '_')}`;
}

/** A mix close to a busy room: mostly messages (some replies, edits, mentions), reactions, state. */
function makeEvent(i: number): JsonObject {
  const sender = `@user${rand(5000)}:server${rand(40)}.example.org`;
  const kind = rand(100);
  let type = 'm.room.message';
  let stateKey: string | undefined;
  let content: JsonObject;
  if (kind < 65) {
    const body = sentence(3 + rand(40));
    content = { msgtype: 'm.text', body };
    if (rand(4) === 0) {
      content['format'] = 'org.matrix.custom.html';
      content['formatted_body'] = `<p>${body}</p>`;
    }
    if (rand(5) === 0) content['m.mentions'] = { user_ids: [`@user${rand(5000)}:server1.example.org`] };
    if (rand(8) === 0) content['m.relates_to'] = { 'm.in_reply_to': { event_id: fakeEventId() } };
    if (rand(20) === 0) {
      content['m.relates_to'] = { rel_type: 'm.replace', event_id: fakeEventId() };
      content['m.new_content'] = { msgtype: 'm.text', body };
    }
  } else if (kind < 75) {
    type = 'm.reaction';
    content = { 'm.relates_to': { rel_type: 'm.annotation', event_id: fakeEventId(), key: '👍' } };
  } else if (kind < 85) {
    type = 'm.room.encrypted';
    content = { algorithm: 'm.megolm.v1.aes-sha2', ciphertext: fakeHash().repeat(6 + rand(20)), device_id: 'ABCDEFGHIJ', sender_key: fakeHash(), session_id: fakeHash() };
  } else if (kind < 97) {
    type = 'm.room.member';
    stateKey = sender;
    content = { membership: ['join', 'leave', 'invite'][rand(3)]!, displayname: sentence(2), avatar_url: `mxc://example.org/${fakeHash()}` };
  } else if (kind < 99) {
    type = 'm.room.power_levels';
    stateKey = '';
    const users: JsonObject = {};
    for (let u = 0; u < 30; u++) users[`@user${u}:server${u % 40}.example.org`] = [0, 50, 100][rand(3)]!;
    content = { ban: 50, events: { 'm.room.name': 50, 'm.room.power_levels': 100 }, events_default: 0, invite: 0, kick: 50, redact: 50, state_default: 50, users, users_default: 0, notifications: { room: 50 } };
  } else {
    type = 'm.room.topic';
    stateKey = '';
    content = { topic: sentence(20) };
  }
  const event: JsonObject = {
    auth_events: [fakeEventId(), fakeEventId(), fakeEventId()],
    content,
    depth: 1000 + i,
    hashes: { sha256: fakeHash() },
    origin_server_ts: 1_700_000_000_000 + i * 731,
    prev_events: rand(10) === 0 ? [fakeEventId(), fakeEventId()] : [fakeEventId()],
    room_id: '!bench:example.org',
    sender,
    signatures: { [sender.split(':')[1]!]: { 'ed25519:a_AbCd': fakeHash() + fakeHash().slice(0, 43) } },
    type,
    unsigned: { age_ts: 1_700_000_000_000 + i * 731 },
  };
  if (stateKey !== undefined) event['state_key'] = stateKey;
  return event;
}

// CPU time is reported beside wall time: on a shared machine wall time includes waiting
// for a core, CPU time is what the work itself cost.
function timed(label: string, work: () => number): void {
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  const checksum = work();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const cpu = process.cpuUsage(cpuStart);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const rate = (t: number) => Math.round((COUNT / t) * 1000).toLocaleString('en-US').padStart(9);
  print(`${label.padEnd(34)} wall ${ms.toFixed(0).padStart(6)} ms ${rate(ms)} ev/s | cpu ${cpuMs.toFixed(0).padStart(6)} ms ${rate(cpuMs)} ev/s  (checksum ${checksum})`);
}

const genStart = process.hrtime.bigint();
const events = Array.from({ length: COUNT }, (_, i) => makeEvent(i));
const genMs = Number(process.hrtime.bigint() - genStart) / 1e6;
let totalBytes = 0;
for (const e of events) totalBytes += Buffer.byteLength(encodeCanonicalJson(e), 'utf8');
print(`matrix hashing bench: ${COUNT.toLocaleString('en-US')} room v${version.id} events, mean ${Math.round(totalBytes / COUNT)} bytes canonical, generated in ${genMs.toFixed(0)} ms (node ${process.version}, load average ${os.loadavg()[0]!.toFixed(1)} on ${os.availableParallelism()} cores)`);

timed('redact', () => {
  let n = 0;
  for (const e of events) n += Object.keys(redactEvent(e, version)).length;
  return n;
});
timed('content hash', () => {
  let n = 0;
  for (const e of events) n += computeContentHash(e, { roomVersion: version })[0]!;
  return n;
});
timed('reference hash (redact + sha256)', () => {
  let n = 0;
  for (const e of events) n += computeReferenceHash(e, version)[0]!;
  return n;
});
timed('all three per event', () => {
  let n = 0;
  for (const e of events) {
    n += Object.keys(redactEvent(e, version)).length;
    n += computeContentHash(e, { roomVersion: version })[0]!;
    n += computeReferenceHash(e, version)[0]!;
  }
  return n;
});

const memory = process.memoryUsage();
print(`peak RSS (maxRSS): ${(process.resourceUsage().maxRSS / 1024).toFixed(1)} MiB; current RSS ${(memory.rss / 1048576).toFixed(1)} MiB, heap used ${(memory.heapUsed / 1048576).toFixed(1)} MiB`);
