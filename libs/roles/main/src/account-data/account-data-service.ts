// Writes account data through the `account_data` stream writer (an actor, wherever
// stream_writers puts it) so /sync sees every change at a stream position; reads go straight
// to the table.
import type { AccountDataWrites } from '@homeserver/services';
import { getAccountData, type Queryable } from '@homeserver/storage';

export class AccountDataService {
  readonly #writes: AccountDataWrites;
  readonly #db: Queryable;

  constructor(db: Queryable, writes: AccountDataWrites) {
    this.#db = db;
    this.#writes = writes;
  }

  /** Stores account data (roomId '' for global). */
  async set(userId: string, roomId: string, type: string, content: Record<string, unknown>): Promise<void> {
    await this.#writes.set(userId, roomId, type, content);
  }

  async get(userId: string, roomId: string, type: string): Promise<Record<string, unknown> | undefined> {
    return getAccountData(this.#db, userId, roomId, type);
  }
}
