// Other servers' signing keys and the signed responses they came in (migration
// 1800_server_keys.sql). The federation core checks signatures before anything is stored here.
import type { Queryable } from '../database.ts';

export interface StoredServerKey {
  readonly serverName: string;
  readonly keyId: string;
  readonly verifyKey: Uint8Array;
  /** Current keys: the server's valid_until_ts. null for old keys. */
  readonly validUntilTs: number | null;
  /** Old keys: when the server says the key expired. null for current keys. */
  readonly expiredTs: number | null;
  readonly fetchedTs: number;
}

export interface ServerKeyResponseInput {
  readonly serverName: string;
  /** The server that answered: the key owner itself or a notary. */
  readonly fromServer: string;
  readonly fetchedTs: number;
  readonly validUntilTs: number;
  /** The response body exactly as received. */
  readonly keyJson: string;
  /** keyId → public key, from verify_keys. */
  readonly verifyKeys: ReadonlyMap<string, Uint8Array>;
  /** keyId → public key and expiry, from old_verify_keys. */
  readonly oldVerifyKeys: ReadonlyMap<string, { readonly key: Uint8Array; readonly expiredTs: number }>;
}

export interface StoredKeyResponse {
  readonly serverName: string;
  readonly fromServer: string;
  readonly fetchedTs: number;
  readonly validUntilTs: number;
  readonly keyJson: string;
}

/**
 * Stores a verified key response: the response itself under each key it lists (a later response
 * that no longer lists a key leaves that key's response as it was), and each key. A current
 * key's validity only grows (a stale answer relayed by a notary cannot shorten it); a key listed
 * as old becomes old.
 */
export async function storeServerKeyResponse(db: Queryable, input: ServerKeyResponseInput): Promise<void> {
  const keyIds = [...input.verifyKeys.keys(), ...input.oldVerifyKeys.keys()];
  await db.query(
    `INSERT INTO server_key_responses (server_name, key_id, from_server, fetched_ts, valid_until_ts, key_json)
     SELECT $1, key_id, $2, $3, $4, $5 FROM unnest($6::text[]) AS key_id
     ON CONFLICT (server_name, key_id, from_server) DO UPDATE SET fetched_ts = EXCLUDED.fetched_ts, valid_until_ts = EXCLUDED.valid_until_ts, key_json = EXCLUDED.key_json
     WHERE server_key_responses.valid_until_ts <= EXCLUDED.valid_until_ts`,
    [input.serverName, input.fromServer, input.fetchedTs, input.validUntilTs, input.keyJson, keyIds],
  );
  for (const [keyId, key] of input.verifyKeys) {
    await db.query(
      `INSERT INTO server_keys (server_name, key_id, verify_key, valid_until_ts, expired_ts, fetched_ts) VALUES ($1, $2, $3, $4, NULL, $5)
       ON CONFLICT (server_name, key_id) DO UPDATE SET verify_key = EXCLUDED.verify_key, valid_until_ts = EXCLUDED.valid_until_ts, fetched_ts = EXCLUDED.fetched_ts
       WHERE server_keys.expired_ts IS NULL AND COALESCE(server_keys.valid_until_ts, 0) <= EXCLUDED.valid_until_ts`,
      [input.serverName, keyId, Buffer.from(key), input.validUntilTs, input.fetchedTs],
    );
  }
  for (const [keyId, old] of input.oldVerifyKeys) {
    await db.query(
      `INSERT INTO server_keys (server_name, key_id, verify_key, valid_until_ts, expired_ts, fetched_ts) VALUES ($1, $2, $3, NULL, $4, $5)
       ON CONFLICT (server_name, key_id) DO UPDATE SET verify_key = EXCLUDED.verify_key, valid_until_ts = NULL, expired_ts = EXCLUDED.expired_ts, fetched_ts = EXCLUDED.fetched_ts`,
      [input.serverName, keyId, Buffer.from(old.key), old.expiredTs, input.fetchedTs],
    );
  }
}

interface DbKey {
  server_name: string;
  key_id: string;
  verify_key: Uint8Array;
  valid_until_ts: number | null;
  expired_ts: number | null;
  fetched_ts: number;
}

export async function getServerKey(db: Queryable, serverName: string, keyId: string): Promise<StoredServerKey | undefined> {
  const { rows } = await db.query<DbKey>('SELECT * FROM server_keys WHERE server_name = $1 AND key_id = $2', [serverName, keyId]);
  const row = rows[0];
  if (row === undefined) return undefined;
  return {
    serverName: row.server_name,
    keyId: row.key_id,
    verifyKey: new Uint8Array(row.verify_key),
    validUntilTs: row.valid_until_ts === null ? null : Number(row.valid_until_ts),
    expiredTs: row.expired_ts === null ? null : Number(row.expired_ts),
    fetchedTs: Number(row.fetched_ts),
  };
}

/**
 * The stored responses about `serverName` (each once, the freshest first): those listing one of
 * `keyIds` when some are given, else every one.
 */
export async function getServerKeyResponses(db: Queryable, serverName: string, keyIds: readonly string[] = []): Promise<StoredKeyResponse[]> {
  const { rows } = await db.query<{ from_server: string; fetched_ts: number; valid_until_ts: number; key_json: string }>(
    `SELECT from_server, fetched_ts, valid_until_ts, key_json FROM server_key_responses
     WHERE server_name = $1 AND (cardinality($2::text[]) = 0 OR key_id = ANY($2::text[]))
     GROUP BY from_server, fetched_ts, valid_until_ts, key_json ORDER BY valid_until_ts DESC, fetched_ts DESC`,
    [serverName, [...keyIds]],
  );
  return rows.map((row) => ({ serverName, fromServer: row.from_server, fetchedTs: Number(row.fetched_ts), validUntilTs: Number(row.valid_until_ts), keyJson: row.key_json }));
}
