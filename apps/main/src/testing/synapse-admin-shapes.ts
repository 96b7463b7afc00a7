// The fields (and JSON types) Synapse's admin API answers with, read from Synapse's source
// (synapse/rest/admin/*.py, synapse/handlers/admin.py, the stores' paginate queries): the admin
// tests check this server's answers against them field by field.

type JsonType = 'string' | 'number' | 'boolean' | 'null' | 'object' | 'array';

/** Each field and the JSON types Synapse may give it. */
export type Shape = Readonly<Record<string, readonly JsonType[]>>;

const S = ['string'] as const;
const SN = ['string', 'null'] as const;
const N = ['number'] as const;
const NN = ['number', 'null'] as const;
const B = ['boolean'] as const;

export const SYNAPSE_SHAPES = {
  serverVersion: { server_version: S },
  userListItem: {
    name: S, user_type: SN, is_guest: B, admin: B, deactivated: B, shadow_banned: B, displayname: SN, avatar_url: SN,
    creation_ts: N, erased: B, last_seen_ts: NN, locked: B,
  },
  userDetails: {
    name: S, admin: B, deactivated: B, locked: B, shadow_banned: B, creation_ts: N, appservice_id: SN, consent_server_notice_sent: SN,
    consent_version: SN, consent_ts: NN, user_type: SN, is_guest: B, suspended: B, displayname: SN, avatar_url: SN, threepids: ['array'],
    external_ids: ['array'], erased: B, last_seen_ts: NN,
  },
  roomListItem: {
    room_id: S, name: SN, canonical_alias: SN, joined_members: N, joined_local_members: N, version: S, creator: SN, encryption: SN,
    federatable: B, public: B, join_rules: SN, guest_access: SN, history_visibility: SN, state_events: N, room_type: SN,
  },
  roomDetailsExtra: { avatar: SN, topic: SN, joined_local_devices: N, forgotten: B, tombstoned: B, replacement_room: SN },
  eventReport: {
    id: N, received_ts: N, room_id: S, name: SN, event_id: S, user_id: S, reason: SN, score: NN, sender: SN, canonical_alias: SN,
  },
  device: { device_id: S, display_name: SN, last_seen_ip: SN, last_seen_ts: NN, last_seen_user_agent: SN, user_id: S },
  deleteStatus: { delete_id: S, room_id: S, status: S, shutdown_room: ['object'] },
} as const satisfies Record<string, Shape>;

function typeOf(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value as JsonType;
}

/** Differences between an answer and a Synapse shape: missing, extra and mistyped fields. */
export function shapeProblems(value: unknown, shape: Shape, where = ''): string[] {
  if (typeof value !== 'object' || value === null) return [`${where}: not an object`];
  const record = value as Record<string, unknown>;
  const problems: string[] = [];
  for (const [field, types] of Object.entries(shape)) {
    if (!(field in record)) problems.push(`${where}.${field}: missing`);
    else if (!types.includes(typeOf(record[field]))) problems.push(`${where}.${field}: ${typeOf(record[field])}, Synapse gives ${types.join('|')}`);
  }
  for (const field of Object.keys(record)) if (!(field in shape)) problems.push(`${where}.${field}: not in Synapse's answer`);
  return problems;
}
