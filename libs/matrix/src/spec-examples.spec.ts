// Every event example shipped with the spec (shared/matrix-spec) goes through our types:
// room events become PDUs in several room versions, parse back, and render as the same
// client event; redaction keeps exactly the keys the spec's algorithm lists.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { assertCanonicalCompatible } from './canonical-json.ts';
import { toClientEvent } from './client-event.ts';
import { finalizeEvent } from './event-signing.ts';
import { isJsonObject, type JsonObject, type JsonValue } from './json.ts';
import { SigningKey } from './keys.ts';
import { parsePdu } from './pdu.ts';
import { redactEvent } from './redaction.ts';
import { roomVersion } from './room-version.ts';

const here = dirname(fileURLToPath(import.meta.url));
const EXAMPLES = resolve(here, '../../../../shared/matrix-spec/data/event-schemas/examples');

/** Loads an example, resolving `$ref` with the spec README's merge semantics (siblings win). */
function loadExample(file: string): JsonValue {
  const raw = parseYaml(readFileSync(file, 'utf8')) as JsonValue;
  return resolveRefs(raw, dirname(file));
}

function resolveRefs(value: JsonValue, base: string): JsonValue {
  if (Array.isArray(value)) return value.map((v) => resolveRefs(v, base));
  if (!isJsonObject(value)) return value;
  let out: JsonObject = {};
  const ref = value['$ref'];
  if (typeof ref === 'string') {
    const target = join(base, ref);
    const loaded = loadExample(target);
    // A lone $ref to a non-object (e.g. an array of stripped state) stands for that value.
    if (!isJsonObject(loaded) && Object.keys(value).length === 1) return loaded;
    if (!isJsonObject(loaded)) throw new Error(`$ref ${ref} in ${base} is not an object`);
    out = { ...loaded };
  }
  for (const [k, v] of Object.entries(value)) if (k !== '$ref') out[k] = resolveRefs(v, base);
  return out;
}

const files = readdirSync(EXAMPLES).filter((f) => /\.(ya?ml|json)$/.test(f));
const examples = files.map((f) => [f, loadExample(join(EXAMPLES, f))] as const);
const roomEvents = examples.filter(([, e]) => isJsonObject(e) && typeof e['event_id'] === 'string') as [string, JsonObject][];

const key = SigningKey.fromSeed(new Uint8Array(32).fill(5), 'ex');
const V12_ROOM = '!Nhcu5BS-UMnFX7hBVfVSoXiD7OgH6iRT-xyIuqDnpYQ';

/** The example as a PDU for `version`, with the DAG fields a server adds. */
function toPdu(example: JsonObject, versionId: string): JsonObject {
  const v12 = versionId === '12';
  const isCreate = example['type'] === 'm.room.create';
  const pdu: JsonObject = {
    type: example['type'] as string,
    sender: example['sender'] as string,
    content: example['content'] as JsonObject,
    origin_server_ts: example['origin_server_ts'] as number,
    depth: 7,
    prev_events: [],
    auth_events: [],
  };
  if (!(v12 && isCreate)) pdu['room_id'] = v12 ? V12_ROOM : (example['room_id'] as string);
  if (example['state_key'] !== undefined) pdu['state_key'] = example['state_key'];
  if (versionId === '1' || versionId === '2') pdu['event_id'] = example['event_id'] as string;
  return pdu;
}

describe('spec event examples', () => {
  it('are all found and resolved', () => {
    expect(files.length).toBeGreaterThan(80);
    expect(roomEvents.length).toBeGreaterThanOrEqual(50);
    for (const [, example] of examples) expect(JSON.stringify(example)).not.toContain('"$ref"');
  });

  it.each(roomEvents)('%s is canonical-JSON compatible', (_file, example) => {
    expect(() => assertCanonicalCompatible(example)).not.toThrow();
  });

  it('m.tag account data uses a float order, which canonical JSON rejects with its path', () => {
    const tag = examples.find(([f]) => f === 'm.tag.yaml')![1];
    expect(() => assertCanonicalCompatible(tag)).toThrow('value at content.tags.u\\.work.order');
  });

  for (const versionId of ['1', '3', '9', '11', '12']) {
    it.each(roomEvents)(`%s round-trips as a v${versionId} PDU and client event without loss`, (_file, example) => {
      const version = roomVersion(versionId);
      const built = finalizeEvent(toPdu(example, versionId), { roomVersion: version, serverName: 'example.org', signingKey: key });
      // Through the wire and back.
      const parsed = parsePdu(JSON.parse(JSON.stringify(built.pdu)) as JsonValue, version);
      expect(parsed.eventId).toBe(built.eventId);
      const unsigned = isJsonObject(example['unsigned']) ? example['unsigned'] : undefined;
      const client = toClientEvent(parsed, unsigned === undefined ? {} : { unsigned });
      const expected: JsonObject = { ...example, event_id: parsed.eventId, room_id: parsed.roomId };
      if (versionId === '1') expect(parsed.eventId).toBe(example['event_id']);
      if (example['type'] === 'm.room.redaction' && parsed.redacts !== undefined) expected['redacts'] = parsed.redacts;
      expect(client).toEqual(expected);
    });
  }
});

// Transcribed from the room version pages' redaction sections, independently of redaction.ts.
const TOP_LEVEL_OLD = ['event_id', 'type', 'room_id', 'sender', 'state_key', 'content', 'hashes', 'signatures', 'depth', 'prev_events', 'prev_state', 'auth_events', 'origin', 'origin_server_ts', 'membership'];
const TOP_LEVEL_V11 = ['event_id', 'type', 'room_id', 'sender', 'state_key', 'content', 'hashes', 'signatures', 'depth', 'prev_events', 'auth_events', 'origin_server_ts'];
function keptContent(type: string, v: number, content: JsonObject): string[] {
  const pl = ['ban', 'events', 'events_default', 'kick', 'redact', 'state_default', 'users', 'users_default'];
  const lists: Record<string, string[]> = {
    'm.room.member': v >= 11 ? ['membership', 'join_authorised_via_users_server', 'third_party_invite'] : v >= 9 ? ['membership', 'join_authorised_via_users_server'] : ['membership'],
    'm.room.create': v >= 11 ? Object.keys(content) : ['creator'],
    'm.room.join_rules': v >= 8 ? ['join_rule', 'allow'] : ['join_rule'],
    'm.room.power_levels': v >= 11 ? [...pl, 'invite'] : pl,
    'm.room.aliases': v <= 5 ? ['aliases'] : [],
    'm.room.history_visibility': ['history_visibility'],
    'm.room.redaction': v >= 11 ? ['redacts'] : [],
  };
  return (lists[type] ?? []).filter((k) => Object.hasOwn(content, k));
}

describe('spec event examples after redaction', () => {
  for (const v of [1, 6, 8, 9, 11, 12]) {
    it.each(roomEvents)(`%s keeps exactly the v${v} keys`, (_file, example) => {
      const redacted = redactEvent(example, roomVersion(String(v)));
      const top = v >= 11 ? TOP_LEVEL_V11 : TOP_LEVEL_OLD;
      expect(Object.keys(redacted).sort()).toEqual(Object.keys(example).filter((k) => top.includes(k)).sort());
      const content = example['content'] as JsonObject;
      const kept = redacted['content'] as JsonObject;
      expect(Object.keys(kept).sort()).toEqual(keptContent(example['type'] as string, v, content).sort());
      for (const k of Object.keys(kept)) {
        if (k === 'third_party_invite') expect(kept[k]).toEqual({ signed: (content[k] as JsonObject)['signed'] });
        else expect(kept[k]).toEqual(content[k]);
      }
    });
  }
});
