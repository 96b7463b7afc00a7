// Room versions and the behaviour switches that differ between them. Every version-dependent
// branch in the core reads one of these named flags, never a version string comparison.

export type EventIdFormat =
  /** v1–v2: `$opaque:server`, chosen by the origin server; auth/prev events are [id, hashes] pairs. */
  | 'server-assigned'
  /** v3: `$` + standard unpadded base64 of the reference hash. */
  | 'base64'
  /** v4+: `$` + URL-safe unpadded base64 of the reference hash. */
  | 'url-safe-base64';

export type StateResolutionAlgorithm = 'v1' | 'v2' | 'v2.1';

export interface RoomVersion {
  readonly id: string;
  readonly stable: boolean;
  readonly eventIdFormat: EventIdFormat;
  readonly stateResolution: StateResolutionAlgorithm;
  /** v5+: signatures must be made with a key valid at the event's origin_server_ts. */
  readonly enforceKeyValidity: boolean;
  /** v1–v5: m.room.aliases events are authorised by the sender's server only. */
  readonly specialCaseAliasesAuth: boolean;
  /** v6+: integers outside ±(2^53−1) and floats are rejected. */
  readonly strictCanonicalJson: boolean;
  /** v6+: the `notifications` key of m.room.power_levels is checked by the auth rules. */
  readonly limitNotificationsPowerLevels: boolean;
  /** v7+: the `knock` join rule and membership. */
  readonly knockJoinRule: boolean;
  /** v8+: the `restricted` join rule (`allow` conditions, `join_authorised_via_users_server`). */
  readonly restrictedJoinRule: boolean;
  /** v9+: redaction keeps `join_authorised_via_users_server` in member content. */
  readonly restrictedJoinRuleFix: boolean;
  /** v10+: the `knock_restricted` join rule. */
  readonly knockRestrictedJoinRule: boolean;
  /** v10+: power level values must be JSON integers, not numeric strings. */
  readonly enforceIntPowerLevels: boolean;
  /** v11+: the room creator is the create event's sender; `creator` is not required. */
  readonly implicitRoomCreator: boolean;
  /** v11+: the redaction algorithm's v11 changes. */
  readonly updatedRedactionRules: boolean;
  /** v12+: room ID is derived from the create event's reference hash; create has no room_id. */
  readonly roomIdIsCreateEventHash: boolean;
  /** v12+: the create event's sender and `additional_creators` have infinite power. */
  readonly privilegedCreators: boolean;
}

const v1: RoomVersion = {
  id: '1',
  stable: true,
  eventIdFormat: 'server-assigned',
  stateResolution: 'v1',
  enforceKeyValidity: false,
  specialCaseAliasesAuth: true,
  strictCanonicalJson: false,
  limitNotificationsPowerLevels: false,
  knockJoinRule: false,
  restrictedJoinRule: false,
  restrictedJoinRuleFix: false,
  knockRestrictedJoinRule: false,
  enforceIntPowerLevels: false,
  implicitRoomCreator: false,
  updatedRedactionRules: false,
  roomIdIsCreateEventHash: false,
  privilegedCreators: false,
};
const v2: RoomVersion = { ...v1, id: '2', stateResolution: 'v2' };
const v3: RoomVersion = { ...v2, id: '3', eventIdFormat: 'base64' };
const v4: RoomVersion = { ...v3, id: '4', eventIdFormat: 'url-safe-base64' };
const v5: RoomVersion = { ...v4, id: '5', enforceKeyValidity: true };
const v6: RoomVersion = {
  ...v5,
  id: '6',
  specialCaseAliasesAuth: false,
  strictCanonicalJson: true,
  limitNotificationsPowerLevels: true,
};
const v7: RoomVersion = { ...v6, id: '7', knockJoinRule: true };
const v8: RoomVersion = { ...v7, id: '8', restrictedJoinRule: true };
const v9: RoomVersion = { ...v8, id: '9', restrictedJoinRuleFix: true };
const v10: RoomVersion = { ...v9, id: '10', knockRestrictedJoinRule: true, enforceIntPowerLevels: true };
const v11: RoomVersion = { ...v10, id: '11', implicitRoomCreator: true, updatedRedactionRules: true };
const v12: RoomVersion = {
  ...v11,
  id: '12',
  stateResolution: 'v2.1',
  roomIdIsCreateEventHash: true,
  privilegedCreators: true,
};

const KNOWN: ReadonlyMap<string, RoomVersion> = new Map(
  [v1, v2, v3, v4, v5, v6, v7, v8, v9, v10, v11, v12].map((v) => [v.id, v]),
);

/** The version new rooms get unless the creator asks otherwise (as Synapse does today). */
export const DEFAULT_ROOM_VERSION = '12';

export function knownRoomVersions(): readonly RoomVersion[] {
  return [...KNOWN.values()];
}

/** The room version with this identifier, or undefined when this server does not support it. */
export function findRoomVersion(id: string): RoomVersion | undefined {
  return KNOWN.get(id);
}

/** Like findRoomVersion, but throws when the version is unknown. */
export function roomVersion(id: string): RoomVersion {
  const version = KNOWN.get(id);
  if (version === undefined) {
    throw new RangeError(`unsupported room version ${JSON.stringify(id)}; known: ${[...KNOWN.keys()].join(', ')}`);
  }
  return version;
}
