// Public entry of @homeserver/matrix. Exports are listed by name, one section per area, so
// parallel additions (auth rules, state resolution) merge cleanly.

// --- JSON, canonical JSON, base64 -------------------------------------------------------
export { decodeBase64, decodeUrlSafeBase64, encodeUnpaddedBase64, encodeUrlSafeBase64 } from './base64.ts';
export type { Base64Alphabet, DecodeBase64Options } from './base64.ts';
export {
  assertCanonicalCompatible,
  compareCodePoints,
  encodeCanonicalJson,
  encodeCanonicalJsonBytes,
  isCanonicalCompatible,
} from './canonical-json.ts';
export type { CanonicalJsonOptions } from './canonical-json.ts';
export { escapePathKey, formatJsonPath, splitDottedPath } from './json-path.ts';
export type { PathSegment } from './json-path.ts';
export { isJsonObject } from './json.ts';
export type { JsonObject, JsonPrimitive, JsonValue } from './json.ts';
export { parseJson } from './strict-json.ts';
export type { ParseJsonOptions } from './strict-json.ts';

// --- Errors -----------------------------------------------------------------------------
export {
  Base64Error,
  CanonicalJsonError,
  EventSizeError,
  InvalidIdentifierError,
  PduFormatError,
  PushRuleError,
  SignatureError,
} from './errors.ts';

// --- Events: format, hashes, IDs, redaction, size, client format --------------------------
export { toClientEvent } from './client-event.ts';
export type { ClientEventOptions } from './client-event.ts';
export { computeEventId, computeRoomIdFromCreateEvent } from './event-id.ts';
export { requiredSignatureServers, verifyEventSignatures } from './event-signatures.ts';
export type { VerifyEventSignaturesOptions, VerifyKeyInfo, VerifyKeyLookup } from './event-signatures.ts';
export { buildEvent, finalizeEvent, hashAndSignEvent, signEvent } from './event-signing.ts';
export type { EventFields, EventSigningOptions } from './event-signing.ts';
export { MAX_EVENT_BYTES, checkEventSize, eventSize } from './event-size.ts';
export type { EventSizeOptions } from './event-size.ts';
export { addContentHash, computeContentHash, computeReferenceHash, verifyEventHashes } from './hashes.ts';
export type { HashOptions } from './hashes.ts';
export { MAX_AUTH_EVENTS, MAX_PREV_EVENTS, parsePdu } from './pdu.ts';
export { redactContent, redactEvent, redactionKeptContentKeys, redactionKeptKeys } from './redaction.ts';

// --- Server ACLs (m.room.server_acl) ----------------------------------------------------
export { serverAclAllows } from './server-acl.ts';

// --- Identifiers ------------------------------------------------------------------------
export { MAX_ID_BYTES, utf8ByteLength } from './ids/byte-length.ts';
export { isValidDeviceId, parseDeviceId } from './ids/device-id.ts';
export { isValidEventId, parseEventId } from './ids/event-id.ts';
export type { EventId, ParseEventIdOptions } from './ids/event-id.ts';
export { formatKeyId, isValidKeyId, parseKeyId } from './ids/key-id.ts';
export type { KeyId } from './ids/key-id.ts';
export { formatRoomAlias, isValidRoomAlias, parseRoomAlias } from './ids/room-alias.ts';
export type { RoomAlias } from './ids/room-alias.ts';
export {
  createEventIdFromRoomId,
  formatRoomId,
  isValidRoomId,
  parseRoomId,
  roomIdFromCreateEventId,
} from './ids/room-id.ts';
export type { RoomId } from './ids/room-id.ts';
export { formatServerName, isValidServerName, parseServerName } from './ids/server-name.ts';
export type { HostKind, ServerName } from './ids/server-name.ts';
export { formatUserId, isCompliantUserLocalpart, isValidUserId, parseUserId } from './ids/user-id.ts';
export type { ParseUserIdOptions, UserId, UserIdGrammar } from './ids/user-id.ts';

// --- Room versions and the event shape ----------------------------------------------------
export { isStateEvent, stateKeyOf } from './room-event.ts';
export type { RoomEvent, StateKey, StateMap } from './room-event.ts';
export { DEFAULT_ROOM_VERSION, findRoomVersion, knownRoomVersions, roomVersion } from './room-version.ts';
export type { EventIdFormat, RoomVersion, StateResolutionAlgorithm } from './room-version.ts';

// --- Authorization rules (auth/) ----------------------------------------------------------
export { allow, deny } from './auth/auth-result.ts';
export type { AuthResult, AuthRule } from './auth/auth-result.ts';
export { authStateFromEvents, authStateFromMap } from './auth/auth-state.ts';
export type { AuthState } from './auth/auth-state.ts';
export { authTypesForEvent, selectAuthEvents, thirdPartyInviteToken } from './auth/auth-types.ts';
export type { AuthSelectable, AuthType } from './auth/auth-types.ts';
export { checkAuthEvents } from './auth/check-auth-events.ts';
export type { CheckAuthEventsOptions } from './auth/check-auth-events.ts';
export { checkAuth, roomIdOfCreateEvent } from './auth/check-auth.ts';
export type { CheckAuthOptions } from './auth/check-auth.ts';
export {
  CREATOR_POWER_LEVEL,
  isPrivilegedCreator,
  namedPowerLevel,
  parsePowerLevel,
  requiredPowerLevel,
  roomCreators,
  userPowerLevel,
} from './auth/power-levels.ts';
export type { NamedLevel } from './auth/power-levels.ts';
export { redactionApplies } from './auth/redaction-auth.ts';

// --- Keys and signing -------------------------------------------------------------------
export {
  ED25519,
  SigningKey,
  decodeVerifyKey,
  formatSigningKeyFile,
  parseSigningKeyFile,
  verifyEd25519,
} from './keys.ts';
export { MAX_KEY_VALIDITY_MS, buildServerKeys, effectiveKeyValidUntil, parseServerKeys } from './server-keys.ts';
export type { BuildServerKeysOptions, OldVerifyKey, ParseServerKeysOptions, ServerKeys } from './server-keys.ts';
export { hasValidJsonSignature, signJson, signatureKeyIds, signingBytes, verifyJsonSignature } from './signing.ts';
export type { VerifyJsonSignatureOptions } from './signing.ts';
export { parseXMatrixAuthorization, requestSigningObject, signRequest, verifyRequestSignature } from './x-matrix.ts';
export type { SignedRequestFields, VerifyRequestOptions, XMatrixAuthorization } from './x-matrix.ts';

// --- State resolution (state-res/) --------------------------------------------------------
export { AuthChains, authDifference } from './state-res/auth-chain.ts';
export type { AuthChainSource, AuthChainsOptions } from './state-res/auth-chain.ts';
export { separateV1, separateV2 } from './state-res/conflicts.ts';
export type { SeparatedState } from './state-res/conflicts.ts';
export { conflictedSubgraph } from './state-res/conflicted-subgraph.ts';
export { MissingEventError } from './state-res/errors.ts';
export { effectiveAuthEventIds } from './state-res/event-source.ts';
export type { EventFetcher } from './state-res/event-source.ts';
export { iterativeAuthChecks } from './state-res/iterative-auth.ts';
export type { IterativeAuthOptions } from './state-res/iterative-auth.ts';
export { mainlineSort } from './state-res/mainline.ts';
export { isPowerEvent, reverseTopologicalPowerSort } from './state-res/power-sort.ts';
export { resolveState } from './state-res/resolve-state.ts';
export type { ResolveStateOptions } from './state-res/resolve-state.ts';

// --- Push rules -------------------------------------------------------------------------
export {
  DEFAULT_NOTIFICATION_POWER_LEVEL,
  conditionMatches,
  eventProperty,
  roomMemberCountMatches,
} from './push/conditions.ts';
export { defaultPushRules, withDefaultRules } from './push/default-rules.ts';
export { evaluatePushRules, ruleMatches, summarise } from './push/evaluator.ts';
export type { EvaluatePushRulesOptions, PushEvaluation } from './push/evaluator.ts';
export { containsAtWordBoundary, globMatches, globToRegExp } from './push/glob.ts';
export type { GlobOptions } from './push/glob.ts';
export { PUSH_RULE_KINDS } from './push/push-rule.ts';
export type { PushAction, PushCondition, PushContext, PushRule, PushRuleKind, PushRuleset } from './push/push-rule.ts';

// --- Synapse's shared-secret registration MAC (server check and the register command) -------
export { sharedSecretMac } from './shared-secret-mac.ts';
export type { SharedSecretRegistration } from './shared-secret-mac.ts';
