// Writes account data through the `account_data` stream writer so /sync sees every change at a
// stream position; reads go straight to the table. Also the port CS-sync's read-marker route
// uses (`set(userId, roomId, type, content)`).
import { upsertAccountData, getAccountData, type AccountDataRow } from '@homeserver/storage';
import type { StreamWriter } from '@homeserver/streams';
import type { Queryable } from '@homeserver/storage';

export class AccountDataService {
  readonly #writer: StreamWriter<AccountDataRow>;
  readonly #db: Queryable;

  constructor(db: Queryable, writer: StreamWriter<AccountDataRow>) {
    this.#db = db;
    this.#writer = writer;
  }

  /** Stores account data (roomId '' for global) and returns its stream position. */
  async set(userId: string, roomId: string, type: string, content: Record<string, unknown>): Promise<number> {
    const result = await this.#writer.write(async (tx) => {
      const [position] = await tx.allocate(1);
      const row = { userId, roomId, type };
      await upsertAccountData(tx, position!, { ...row, content, instanceName: this.#writer.instanceName });
      tx.addRow(position!, row);
    });
    return result.position;
  }

  async get(userId: string, roomId: string, type: string): Promise<Record<string, unknown> | undefined> {
    return getAccountData(this.#db, userId, roomId, type);
  }
}
