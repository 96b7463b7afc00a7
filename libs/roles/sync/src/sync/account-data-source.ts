// The port through which /sync reads account data. CS-accounts owns the table and the
// account_data stream; the runtime plugs their reader in. Without it /sync serves none.
import type { VectorPosition } from '@homeserver/streams';

export interface AccountDataItem {
  readonly type: string;
  readonly content: Record<string, unknown>;
}

export interface AccountDataChanges {
  readonly global: readonly AccountDataItem[];
  /** room ID -> items */
  readonly rooms: ReadonlyMap<string, readonly AccountDataItem[]>;
}

export interface AccountDataSource {
  /** The user's account data changed after `since` up to `upTo` (everything when since is undefined). */
  changes(userId: string, since: VectorPosition | undefined, upTo: VectorPosition): Promise<AccountDataChanges>;
}

export const NO_ACCOUNT_DATA: AccountDataChanges = { global: [], rooms: new Map() };
