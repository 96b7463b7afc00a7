// Fetching another server's signing keys: from the server itself (/_matrix/key/v2/server) or
// from a trusted notary (/_matrix/key/v2/query). Every response must carry the server's own
// valid signature; a notary's answer must also be signed by one of the notary keys the config
// names (unless accept_keys_insecurely left them out).
import type { TrustedKeyServer } from '@homeserver/config';
import { decodeVerifyKey, isJsonObject, parseServerKeys, verifyJsonSignature, type JsonObject, type ServerKeys } from '@homeserver/matrix';

export interface KeyTransport {
  /** Unsigned GET of a JSON body. */
  getUnsigned(destination: string, path: string, timeoutMs?: number): Promise<JsonObject>;
  /** Signed request (the notary query is a plain POST; signing it is harmless). */
  request(request: { destination: string; method: 'POST'; path: string; body: JsonObject; timeoutMs?: number }): Promise<JsonObject>;
}

export interface FetchedKeys {
  readonly keys: ServerKeys;
  /** Who answered: the server itself or the notary. */
  readonly fromServer: string;
}

const KEY_FETCH_TIMEOUT_MS = 15_000;

/** The server's own answer, self-signature checked. */
export async function fetchKeysDirect(transport: KeyTransport, serverName: string): Promise<FetchedKeys> {
  const json = await transport.getUnsigned(serverName, '/_matrix/key/v2/server', KEY_FETCH_TIMEOUT_MS);
  return { keys: parseServerKeys(json, { expectedServerName: serverName }), fromServer: serverName };
}

function checkNotarySignature(json: JsonObject, notary: TrustedKeyServer): void {
  const keyIds = Object.keys(notary.verifyKeys);
  if (keyIds.length === 0) return;
  const errors: string[] = [];
  for (const keyId of keyIds) {
    try {
      verifyJsonSignature(json, notary.serverName, { keyId, publicKey: decodeVerifyKey(notary.verifyKeys[keyId]!) });
      return;
    } catch (error) {
      errors.push((error as Error).message);
    }
  }
  throw new Error(`notary ${notary.serverName} did not sign the keys with a configured verify key: ${errors.join('; ')}`);
}

/**
 * Asks `notary` for `serverName`'s keys (those valid until at least `minimumValidUntilTs`).
 * Answers for other servers and answers failing a check are dropped; [] when none is left.
 */
export async function fetchKeysFromNotary(
  transport: KeyTransport,
  notary: TrustedKeyServer,
  serverName: string,
  options: { keyIds: readonly string[]; minimumValidUntilTs: number },
): Promise<FetchedKeys[]> {
  const criteria: JsonObject = {};
  for (const keyId of options.keyIds) criteria[keyId] = { minimum_valid_until_ts: options.minimumValidUntilTs };
  const body = await transport.request({
    destination: notary.serverName,
    method: 'POST',
    path: '/_matrix/key/v2/query',
    body: { server_keys: { [serverName]: criteria } },
    timeoutMs: KEY_FETCH_TIMEOUT_MS,
  });
  const list = body['server_keys'];
  if (!Array.isArray(list)) throw new Error(`notary ${notary.serverName} answered without a server_keys array`);
  const found: FetchedKeys[] = [];
  for (const entry of list) {
    if (!isJsonObject(entry) || entry['server_name'] !== serverName) continue;
    checkNotarySignature(entry, notary);
    found.push({ keys: parseServerKeys(entry, { expectedServerName: serverName }), fromServer: notary.serverName });
  }
  return found;
}
