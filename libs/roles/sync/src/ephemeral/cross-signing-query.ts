// The cross-signing part of /keys/query: master and self-signing keys of the queried users
// (with the signatures the requester made on them, as Synapse shows no one else's), and the
// requester's own user-signing key when it queried itself.
import { getCrossSigningKeys, signaturesBy, withSignatures, type Database, type KeyJson } from '@homeserver/storage';

export interface CrossSigningQueryResult {
  readonly master_keys: Record<string, KeyJson>;
  readonly self_signing_keys: Record<string, KeyJson>;
  readonly user_signing_keys: Record<string, KeyJson>;
}

export async function queryCrossSigningKeys(db: Database, requester: string, userIds: readonly string[]): Promise<CrossSigningQueryResult> {
  const result: CrossSigningQueryResult = { master_keys: {}, self_signing_keys: {}, user_signing_keys: {} };
  const keys = await getCrossSigningKeys(db, userIds);
  if (keys.size === 0) return result;
  const mine = await signaturesBy(db, requester, [...keys.keys()]);
  const signed = (userId: string, key: { keyId: string; json: KeyJson }) =>
    withSignatures(key.json, mine.filter((s) => s.targetUserId === userId && s.targetDeviceId === key.keyId));
  for (const [userId, user] of keys) {
    if (user.master) result.master_keys[userId] = signed(userId, user.master);
    if (user.self_signing) result.self_signing_keys[userId] = signed(userId, user.self_signing);
    if (user.user_signing && userId === requester) result.user_signing_keys[userId] = user.user_signing.json;
  }
  return result;
}
