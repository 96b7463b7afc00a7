// POST /keys/signatures/upload: signatures of the user's own devices by its self-signing key,
// of its master key by its devices, and of other users' master keys by its user-signing key.
// Each signed object must match the stored key apart from its signatures; a bad one becomes an
// entry of `failures` (as Synapse: {status, errcode, message}, plus the spec's `error`) and the
// others are stored. Stored signatures are device-list changes of the signed user.
import { MatrixError, invalidParam, notFound } from '@homeserver/http';
import { isValidUserId } from '@homeserver/matrix';
import { recordDeviceListChanges, type DeviceListWrites } from '@homeserver/services';
import {
  getCrossSigningKeys,
  insertCrossSigningSignatures,
  ownerSignatures,
  queryDeviceKeys,
  signaturesBy,
  withSignatures,
  type CrossSigningSignature,
  type Database,
  type KeyJson,
} from '@homeserver/storage';
import { deviceVerifyKey, invalidSignature, parseCrossSigningKey, requireSignature, sameSignedContent, signaturesOf, type CrossSigningKey } from './cross-signing-key.ts';

export type SignedObjects = Record<string, Record<string, Record<string, unknown>>>;

export interface SignatureFailure {
  readonly status: number;
  readonly errcode: string;
  readonly error: string;
  readonly message: string;
}

type Failures = Record<string, Record<string, SignatureFailure>>;

function failureOf(error: unknown): SignatureFailure {
  if (!(error instanceof MatrixError)) throw error;
  return { status: error.status, errcode: error.errcode, error: error.message, message: error.message };
}

function failAll(failures: Failures, userId: string, keyIds: readonly string[], error: unknown): void {
  const failure = failureOf(error);
  failures[userId] = { ...(failures[userId] ?? {}), ...Object.fromEntries(keyIds.map((id) => [id, failure])) };
}

const keyVersion = (keyId: string) => keyId.slice(keyId.indexOf(':') + 1);

/** What checking signatures of the uploader's own keys needs, read once per request. */
interface OwnKeys {
  readonly selfSigning: CrossSigningKey;
  /** The stored master key with the signatures uploaded for it since. */
  readonly master: KeyJson;
  /** The master key's public key (its ID as a signature target). */
  readonly masterId: string;
  /** Device keys with the signatures uploaded for them since. */
  readonly devices: Map<string, KeyJson>;
}

/** Signatures of the user's own devices and master key. */
async function ownSignatures(db: Database, userId: string, signed: Record<string, Record<string, unknown>>, failures: Failures): Promise<CrossSigningSignature[]> {
  const out: CrossSigningSignature[] = [];
  const keyIds = Object.keys(signed);
  if (keyIds.length === 0) return out;
  let context: OwnKeys;
  try {
    const keys = (await getCrossSigningKeys(db, [userId])).get(userId) ?? {};
    if (!keys.self_signing) throw notFound(`cannot check signatures of ${userId}'s keys: no self-signing key is stored`);
    if (!keys.master) throw notFound(`cannot check signatures of ${userId}'s keys: no master key is stored`);
    const stored = (await queryDeviceKeys(db, new Map([[userId, []]]))).get(userId);
    if (!stored || stored.size === 0) throw notFound(`cannot check signatures of ${userId}'s keys: the user has no device keys`);
    const existing = await ownerSignatures(db, [userId]);
    const devices = new Map([...stored].map(([deviceId, json]) => [deviceId, withSignatures(json, existing.filter((s) => s.targetDeviceId === deviceId))]));
    context = {
      selfSigning: parseCrossSigningKey(keys.self_signing.json, userId, 'self_signing'),
      master: withSignatures(keys.master.json, existing.filter((s) => s.targetDeviceId === keys.master!.keyId)),
      masterId: keys.master.keyId,
      devices,
    };
  } catch (error) {
    failAll(failures, userId, keyIds, error);
    return out;
  }
  for (const [keyId, object] of Object.entries(signed)) {
    try {
      const sent = signaturesOf(object, userId);
      if (Object.keys(sent).length === 0) throw invalidSignature(`cannot store signatures of ${keyId}: the object carries no signature by ${userId}`);
      if (keyId === context.masterId) {
        out.push(...masterSignatures(userId, object, context));
        continue;
      }
      const ssk = context.selfSigning;
      if (typeof sent[ssk.keyId] !== 'string') throw invalidSignature(`cannot store signatures of device ${keyId}: it is not signed by ${userId}'s self-signing key ${ssk.keyId}`);
      const device = context.devices.get(keyId);
      if (!device) throw notFound(`cannot store signatures of device ${keyId}: ${userId} has no device keys under that ID`);
      // An existing signature by the same key is the same signature (ed25519 is deterministic).
      if (signaturesOf(device, userId)[ssk.keyId] !== undefined) continue;
      if (!sameSignedContent(object, device)) throw invalidParam(`cannot store signatures of device ${keyId}: the signed object differs from the stored device keys`);
      requireSignature(object, userId, ssk, `device keys of ${keyId}`);
      out.push({ userId, keyId: ssk.keyId, targetUserId: userId, targetDeviceId: keyId, signature: sent[ssk.keyId] as string });
    } catch (error) {
      failAll(failures, userId, [keyId], error);
    }
  }
  return out;
}

/** Device signatures of the user's master key; the master key's self-signature and known ones are skipped. */
function masterSignatures(
  userId: string,
  object: Record<string, unknown>,
  context: OwnKeys,
): CrossSigningSignature[] {
  if (!sameSignedContent(object, context.master)) throw invalidParam(`cannot store signatures of ${userId}'s master key: the signed object differs from the stored master key`);
  const known = signaturesOf(context.master, userId);
  const out: CrossSigningSignature[] = [];
  for (const [signingKeyId, signature] of Object.entries(signaturesOf(object, userId))) {
    if (known[signingKeyId] === signature || signingKeyId === `ed25519:${context.masterId}`) continue;
    const device = context.devices.get(keyVersion(signingKeyId));
    const key = signingKeyId.startsWith('ed25519:') && device ? deviceVerifyKey(device, keyVersion(signingKeyId)) : undefined;
    if (!key) throw invalidSignature(`cannot store the signature ${signingKeyId} of ${userId}'s master key: it names no ed25519 key of ${userId}'s devices`);
    requireSignature(object, userId, key, 'master key');
    out.push({ userId, keyId: signingKeyId, targetUserId: userId, targetDeviceId: context.masterId, signature: String(signature) });
  }
  return out;
}

/** Signatures of other users' master keys by the uploader's user-signing key. */
async function otherSignatures(db: Database, userId: string, byUser: SignedObjects, failures: Failures): Promise<CrossSigningSignature[]> {
  const out: CrossSigningSignature[] = [];
  const targets = Object.keys(byUser);
  if (targets.length === 0) return out;
  const uploader = (await getCrossSigningKeys(db, [userId])).get(userId)?.user_signing;
  if (!uploader) {
    const error = notFound(`cannot store signatures of other users' keys: ${userId} has no user-signing key`);
    for (const target of targets) failAll(failures, target, Object.keys(byUser[target]!), error);
    return out;
  }
  const usk = parseCrossSigningKey(uploader.json, userId, 'user_signing');
  const valid = targets.filter((target) => isValidUserId(target));
  const masters = await getCrossSigningKeys(db, valid);
  const mine = await signaturesBy(db, userId, valid);
  for (const target of targets) {
    const objects = byUser[target]!;
    try {
      if (!isValidUserId(target)) throw invalidParam(`cannot sign keys of ${JSON.stringify(target)}: it is not a valid user ID`);
      const master = masters.get(target)?.master;
      if (!master) throw notFound(`cannot sign ${target}'s master key: none is known`);
      const object = objects[master.keyId];
      if (!object) throw notFound(`cannot sign keys of ${target}: only its master key ${master.keyId} can be signed and it is not in the upload`);
      const extra = Object.keys(objects).filter((id) => id !== master.keyId);
      if (extra.length > 0) failAll(failures, target, extra, notFound(`cannot sign keys of ${target} other than its master key ${master.keyId}`));
      const stored = withSignatures(master.json, mine.filter((s) => s.targetUserId === target && s.targetDeviceId === master.keyId));
      if (signaturesOf(stored, userId)[usk.keyId] !== undefined) continue;
      if (!sameSignedContent(object, stored)) throw invalidParam(`cannot store the signature of ${target}'s master key: the signed object differs from the stored key`);
      requireSignature(object, userId, usk, `master key of ${target}`);
      out.push({ userId, keyId: usk.keyId, targetUserId: target, targetDeviceId: master.keyId, signature: String(signaturesOf(object, userId)[usk.keyId]) });
    } catch (error) {
      const master = masters.get(target)?.master;
      failAll(failures, target, master && objects[master.keyId] ? [master.keyId] : Object.keys(objects), error);
    }
  }
  return out;
}

/** Checks and stores the uploaded signatures; returns the `failures` of the response. */
export async function uploadSignatures(db: Database, writer: DeviceListWrites, userId: string, body: SignedObjects): Promise<{ failures: Failures }> {
  const failures: Failures = {};
  const { [userId]: own = {}, ...others } = body;
  const signatures = [...(await ownSignatures(db, userId, own, failures)), ...(await otherSignatures(db, userId, others, failures))];
  if (signatures.length > 0) {
    await writer.write(async (tx) => {
      await insertCrossSigningSignatures(tx, signatures);
      const byTarget = new Map<string, string[]>();
      for (const s of signatures) byTarget.set(s.targetUserId, [...(byTarget.get(s.targetUserId) ?? []), s.targetDeviceId]);
      // Synapse tells only the signer about its signatures of other users (a per-user stream this
      // server lacks); announcing the signed user instead reaches the signer's other devices
      // through the room they share, and others who re-query see no signature but their own.
      for (const [targetUserId, deviceIds] of byTarget) await recordDeviceListChanges(tx, { userId: targetUserId, deviceIds });
    });
  }
  return { failures };
}
