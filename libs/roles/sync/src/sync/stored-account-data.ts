// AccountDataSource over the account_data table (storage accountDataForUser); the stream
// itself is defined once, in @homeserver/services. m.push_rules is stored as the user's changes
// only and served as the whole effective ruleset, as Synapse does (clients replace theirs with it).
import { withDefaultRules } from '@homeserver/matrix';
import { accountDataForUser, type Database } from '@homeserver/storage';
import { VectorPosition } from '@homeserver/streams';
import type { AccountDataChanges, AccountDataItem, AccountDataSource } from './account-data-source.ts';
import type { OwnPushRules } from '@homeserver/services';
import { inWindow, sqlWindow } from './sync-token.ts';

export class StoredAccountData implements AccountDataSource {
  #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  async changes(userId: string, since: VectorPosition | undefined, upTo: VectorPosition): Promise<AccountDataChanges> {
    const from = since ?? VectorPosition.ZERO;
    const records = (await accountDataForUser(this.#db, userId, sqlWindow(from, upTo))).filter((r) => inWindow(r.position, r.instanceName, from, upTo));
    const global: AccountDataItem[] = [];
    const rooms = new Map<string, AccountDataItem[]>();
    for (const record of records) {
      const item = { type: record.type, content: record.content };
      if (record.roomId === '' && record.type === 'm.push_rules') global.push({ type: item.type, content: { global: withDefaultRules(ownRules(record.content) ?? {}, userId) } });
      else if (record.roomId === '') global.push(item);
      else rooms.set(record.roomId, [...(rooms.get(record.roomId) ?? []), item]);
    }
    // An initial sync always carries the ruleset, even for a user who never changed a rule
    // (Synapse does; clients read their rules from it instead of asking /pushrules/).
    if (since === undefined && !global.some((item) => item.type === 'm.push_rules')) {
      global.push({ type: 'm.push_rules', content: { global: withDefaultRules({}, userId) } });
    }
    return { global, rooms };
  }
}

function ownRules(content: Record<string, unknown>): OwnPushRules | undefined {
  const global = content['global'];
  return global && typeof global === 'object' && !Array.isArray(global) ? (global as OwnPushRules) : undefined;
}
