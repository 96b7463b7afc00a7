// Typing notifications: held in this writer's memory with per-user timeouts (Synapse keeps
// them in memory too); every change of a room's set is written to the typing stream as the
// whole set, so readers can catch up and /sync can say who types now.
import type { Clock } from '@homeserver/services';
import { insertTypingRow, pruneTyping, type TypingRow } from '@homeserver/storage';
import type { StreamWriter } from '@homeserver/streams';

export interface TypingServiceOptions {
  /** Longest timeout honoured; longer requests are cut to it. Default: 120000 ms. */
  readonly maxTimeoutMs?: number;
  /** Default: Date.now. */
  readonly clock?: Clock;
}

export class TypingService {
  #writer: StreamWriter<TypingRow>;
  #maxTimeoutMs: number;
  /** room -> user -> expiry timer */
  #rooms = new Map<string, Map<string, NodeJS.Timeout>>();
  /** Serialises writes so each row is the set as of its position. */
  #tail: Promise<unknown> = Promise.resolve();
  #closed = false;
  #writes = 0;

  constructor(writer: StreamWriter<TypingRow>, options: TypingServiceOptions = {}) {
    this.#writer = writer;
    this.#maxTimeoutMs = options.maxTimeoutMs ?? 120_000;
  }

  /** Who types in the room now (this writer's view). */
  typingIn(roomId: string): string[] {
    return [...(this.#rooms.get(roomId)?.keys() ?? [])].sort();
  }

  /**
   * Starts (with a timeout) or stops the user's typing in the room. Returns the stream position
   * of the change, or the writer's position when nothing changed (read-your-writes target).
   */
  setTyping(roomId: string, userId: string, options: { typing: boolean; timeoutMs?: number }): Promise<number> {
    return this.#serial(async () => {
      const users = this.#rooms.get(roomId) ?? new Map<string, NodeJS.Timeout>();
      const had = users.has(userId);
      clearTimeout(users.get(userId));
      if (options.typing) {
        const timeout = Math.min(Math.max(options.timeoutMs ?? 30_000, 0), this.#maxTimeoutMs);
        const timer = setTimeout(() => void this.setTyping(roomId, userId, { typing: false }).catch(() => {}), timeout);
        timer.unref();
        users.set(userId, timer);
        this.#rooms.set(roomId, users);
        // A refreshed timeout is not a change others need to hear about.
        if (had) return this.#writer.position;
      } else {
        if (!had) return this.#writer.position;
        users.delete(userId);
        if (users.size === 0) this.#rooms.delete(roomId);
      }
      return this.#write(roomId);
    });
  }

  close(): void {
    this.#closed = true;
    for (const users of this.#rooms.values()) for (const timer of users.values()) clearTimeout(timer);
    this.#rooms.clear();
  }

  async #write(roomId: string): Promise<number> {
    if (this.#closed) return this.#writer.position;
    const userIds = this.typingIn(roomId);
    const { position } = await this.#writer.write(async (tx) => {
      const [at] = await tx.allocate();
      const row = { roomId, userIds };
      await insertTypingRow(tx, at!, { ...row, instanceName: this.#writer.instanceName });
      tx.addRow(at!, row);
      // Superseded rows only matter to readers as "the room's latest set": drop them now and then.
      if (++this.#writes % 100 === 0) await pruneTyping(tx, at!);
    });
    return position;
  }

  #serial<T>(task: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(task);
    this.#tail = result.catch(() => {});
    return result;
  }
}
