// Checking signatures on received events (server-server API, "Validating hashes and
// signatures on received events"): the redacted event must carry a valid signature from each
// required server. Keys come from a caller-supplied lookup, so the library does no I/O.
import { decodeBase64 } from './base64.ts';
import { Base64Error, SignatureError } from './errors.ts';
import { parseUserId } from './ids/user-id.ts';
import { isJsonObject, type JsonObject } from './json.ts';
import { verifyEd25519 } from './keys.ts';
import { redactEvent } from './redaction.ts';
import type { RoomVersion } from './room-version.ts';
import { signingBytes } from './signing.ts';

export interface VerifyKeyInfo {
  /** Raw 32-byte ed25519 public key. */
  readonly publicKey: Uint8Array;
  /**
   * For current keys: until when the key may be trusted (already capped by the caller at
   * seven days after fetching, see effectiveKeyValidUntil). undefined = no limit known.
   */
  readonly validUntilTs?: number;
  /** For old_verify_keys: when the key expired. */
  readonly expiredTs?: number;
}

/** Resolves a server's key by ID; undefined when unknown. May be sync or async. */
export type VerifyKeyLookup = (
  serverName: string,
  keyId: string,
) => VerifyKeyInfo | undefined | Promise<VerifyKeyInfo | undefined>;

export interface VerifyEventSignaturesOptions {
  lookupKey: VerifyKeyLookup;
}

/**
 * Servers whose signature an event needs: the sender's server; in v1–v2 also the event ID's
 * server; for restricted-room joins (v8+) the server of `join_authorised_via_users_server`.
 */
export function requiredSignatureServers(event: JsonObject, version: RoomVersion): string[] {
  const servers = new Set<string>();
  const sender = event['sender'];
  if (typeof sender === 'string') servers.add(parseUserId(sender).serverName.value);
  const eventId = event['event_id'];
  if (version.eventIdFormat === 'server-assigned' && typeof eventId === 'string') {
    const colon = eventId.indexOf(':');
    if (colon >= 0) servers.add(eventId.slice(colon + 1));
  }
  const content = event['content'];
  if (version.restrictedJoinRule && event['type'] === 'm.room.member' && isJsonObject(content) && content['membership'] === 'join') {
    const via = content['join_authorised_via_users_server'];
    if (typeof via === 'string') servers.add(parseUserId(via).serverName.value);
  }
  return [...servers];
}

/**
 * Resolves when every required server has at least one valid signature on the redacted
 * event from a known ed25519 key that was valid at origin_server_ts; signatures from
 * unknown or expired keys are skipped, and any bad signature from a usable key fails.
 * Throws SignatureError saying which server and key failed.
 */
export async function verifyEventSignatures(
  event: JsonObject,
  version: RoomVersion,
  options: VerifyEventSignaturesOptions,
): Promise<void> {
  const redacted = redactEvent(event, version);
  const bytes = signingBytes(redacted);
  const ts = typeof event['origin_server_ts'] === 'number' ? event['origin_server_ts'] : 0;
  const signatures = isJsonObject(redacted['signatures']) ? redacted['signatures'] : {};
  for (const server of requiredSignatureServers(event, version)) {
    const forServer = signatures[server];
    if (!isJsonObject(forServer)) throw new SignatureError(`event is not signed by ${server}`);
    let verified = 0;
    for (const [keyId, encoded] of Object.entries(forServer)) {
      if (!keyId.startsWith('ed25519:') || typeof encoded !== 'string') continue;
      const key = await options.lookupKey(server, keyId);
      if (key === undefined) continue;
      if (key.expiredTs !== undefined && key.expiredTs < ts) continue;
      if (version.enforceKeyValidity && key.validUntilTs !== undefined && key.validUntilTs < ts) continue;
      let signature: Uint8Array;
      try {
        signature = decodeBase64(encoded);
      } catch (error) {
        if (error instanceof Base64Error) throw new SignatureError(`signature of ${server} with ${keyId} is not valid base64`);
        throw error;
      }
      if (!verifyEd25519(key.publicKey, bytes, signature)) {
        throw new SignatureError(`signature of ${server} with ${keyId} does not match the event`);
      }
      verified++;
    }
    if (verified === 0) {
      throw new SignatureError(`event has no signature from ${server} by a known key valid at origin_server_ts ${ts}`);
    }
  }
}
