// Cross-signing keys (master, self-signing, user-signing) and the signatures uploaded for
// devices and keys after the fact (cross_signing.yaml). Checking them is the caller's job.
import type { Queryable } from '../database.ts';
import type { KeyJson } from './e2e-key-store.ts';

export type CrossSigningKeyType = 'master' | 'self_signing' | 'user_signing';

export interface StoredCrossSigningKey {
  readonly userId: string;
  readonly type: CrossSigningKeyType;
  /** The unpadded base64 public key (the part after `ed25519:`). */
  readonly keyId: string;
  readonly json: KeyJson;
}

/** The current cross-signing keys of each user that has any. */
export async function getCrossSigningKeys(db: Queryable, userIds: readonly string[]): Promise<Map<string, Partial<Record<CrossSigningKeyType, StoredCrossSigningKey>>>> {
  const out = new Map<string, Partial<Record<CrossSigningKeyType, StoredCrossSigningKey>>>();
  if (userIds.length === 0) return out;
  const { rows } = await db.query<{ user_id: string; key_type: CrossSigningKeyType; key_id: string; key_json: KeyJson }>(
    'SELECT user_id, key_type, key_id, key_json FROM e2e_cross_signing_keys WHERE user_id = ANY($1::text[])',
    [[...userIds]],
  );
  for (const row of rows) {
    const keys = out.get(row.user_id) ?? {};
    keys[row.key_type] = { userId: row.user_id, type: row.key_type, keyId: row.key_id, json: row.key_json };
    out.set(row.user_id, keys);
  }
  return out;
}

export async function getCrossSigningKey(db: Queryable, userId: string, type: CrossSigningKeyType): Promise<StoredCrossSigningKey | undefined> {
  return (await getCrossSigningKeys(db, [userId])).get(userId)?.[type];
}

/** Stores (or replaces) the user's key of that type. */
export async function setCrossSigningKey(tx: Queryable, key: StoredCrossSigningKey): Promise<void> {
  await tx.query(
    `INSERT INTO e2e_cross_signing_keys (user_id, key_type, key_id, key_json) VALUES ($1, $2, $3, $4)
     ON CONFLICT (user_id, key_type) DO UPDATE SET key_id = EXCLUDED.key_id, key_json = EXCLUDED.key_json`,
    [key.userId, key.type, key.keyId, JSON.stringify(key.json)],
  );
}

export interface CrossSigningSignature {
  /** The signer. */
  readonly userId: string;
  /** The signer's key, e.g. `ed25519:<public key>` or `ed25519:<device id>`. */
  readonly keyId: string;
  readonly targetUserId: string;
  /** A device ID, or the public key of a cross-signing key. */
  readonly targetDeviceId: string;
  readonly signature: string;
}

/** Stores signatures; a signature already stored under the same key is replaced. */
export async function insertCrossSigningSignatures(tx: Queryable, signatures: readonly CrossSigningSignature[]): Promise<void> {
  for (const s of signatures) {
    await tx.query(
      `INSERT INTO e2e_cross_signing_signatures (user_id, key_id, target_user_id, target_device_id, signature) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (target_user_id, target_device_id, user_id, key_id) DO UPDATE SET signature = EXCLUDED.signature`,
      [s.userId, s.keyId, s.targetUserId, s.targetDeviceId, s.signature],
    );
  }
}

/**
 * Signatures made by each target user on their own devices or keys (self-signing signatures of
 * devices, device signatures of the master key): what every querier sees merged into the keys.
 */
export async function ownerSignatures(db: Queryable, userIds: readonly string[]): Promise<CrossSigningSignature[]> {
  if (userIds.length === 0) return [];
  const { rows } = await db.query<{ user_id: string; key_id: string; target_user_id: string; target_device_id: string; signature: string }>(
    `SELECT user_id, key_id, target_user_id, target_device_id, signature FROM e2e_cross_signing_signatures
      WHERE target_user_id = ANY($1::text[]) AND user_id = target_user_id`,
    [[...userIds]],
  );
  return rows.map(toSignature);
}

/** Signatures `signer` made on keys of `targetUserIds` (seen only by the signer, as in Synapse). */
export async function signaturesBy(db: Queryable, signer: string, targetUserIds: readonly string[]): Promise<CrossSigningSignature[]> {
  if (targetUserIds.length === 0) return [];
  const { rows } = await db.query<{ user_id: string; key_id: string; target_user_id: string; target_device_id: string; signature: string }>(
    `SELECT user_id, key_id, target_user_id, target_device_id, signature FROM e2e_cross_signing_signatures
      WHERE target_user_id = ANY($1::text[]) AND user_id = $2`,
    [[...targetUserIds], signer],
  );
  return rows.map(toSignature);
}

function toSignature(r: { user_id: string; key_id: string; target_user_id: string; target_device_id: string; signature: string }): CrossSigningSignature {
  return { userId: r.user_id, keyId: r.key_id, targetUserId: r.target_user_id, targetDeviceId: r.target_device_id, signature: r.signature };
}

/** A copy of `json` with `signatures` added under signatures[signer][keyId] (callers pick the target's). */
export function withSignatures(json: KeyJson, signatures: readonly CrossSigningSignature[]): KeyJson {
  if (signatures.length === 0) return json;
  const raw = json['signatures'];
  const existing = (raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? raw : {}) as Record<string, Record<string, unknown>>;
  const merged: Record<string, Record<string, unknown>> = { ...existing };
  for (const s of signatures) merged[s.userId] = { ...(merged[s.userId] ?? {}), [s.keyId]: s.signature };
  return { ...json, signatures: merged };
}
