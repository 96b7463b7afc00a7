// Group commit across rooms: the room actors of one persister hand their batches here, and one
// transaction commits the batches of every room that queued one since the previous transaction
// started (persist-batch.ts writes them with one statement per table). A few transactions run at
// once so the database is kept busy while the next group gathers. A room has at most one batch
// here at a time (its actor waits for its commit before handing in the next), so rooms in
// concurrent transactions never overlap.
//
// A group that fails (one room fenced out by a new owner, most often) is retried room by room,
// each in its own transaction: only the room at fault fails, and its actor reloads.
import type { EventStreamRow } from '@homeserver/storage';
import type { StreamWriter } from '@homeserver/streams';
import { persistRooms, type BatchOutcome, type PersistContext, type RoomBatch } from './persist-batch.ts';

interface Pending {
  readonly batch: RoomBatch;
  resolve(outcome: BatchOutcome): void;
  reject(error: unknown): void;
}

export interface GroupCommitterOptions {
  /** Group transactions in flight at once. Default: 2. */
  readonly maxInFlight?: number;
  /** Rooms in one transaction at most. Default: 64. */
  readonly maxRooms?: number;
}

export class GroupCommitter {
  readonly #writer: StreamWriter<EventStreamRow>;
  readonly #context: PersistContext;
  readonly #maxInFlight: number;
  readonly #maxRooms: number;
  #queue: Pending[] = [];
  #inFlight = 0;
  #scheduled = false;

  constructor(writer: StreamWriter<EventStreamRow>, context: PersistContext, options: GroupCommitterOptions = {}) {
    this.#writer = writer;
    this.#context = context;
    this.#maxInFlight = options.maxInFlight ?? 2;
    this.#maxRooms = options.maxRooms ?? 64;
  }

  /** Commits the room's batch with those of other rooms; resolves once its transaction committed. */
  commit(batch: RoomBatch): Promise<BatchOutcome> {
    return new Promise<BatchOutcome>((resolve, reject) => {
      this.#queue.push({ batch, resolve, reject });
      this.#schedule();
    });
  }

  /** Starts groups on the next turn of the event loop, so room actors flushing in this one join. */
  #schedule(): void {
    if (this.#scheduled || this.#inFlight >= this.#maxInFlight || this.#queue.length === 0) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      while (this.#inFlight < this.#maxInFlight && this.#queue.length > 0) {
        const group = this.#queue.splice(0, this.#maxRooms);
        this.#inFlight++;
        void this.#run(group).finally(() => {
          this.#inFlight--;
          this.#schedule();
        });
      }
    });
  }

  async #run(group: Pending[]): Promise<void> {
    try {
      // Every statement of a group commit writes arrays of rows or reads by keys (persist-batch.ts),
      // so its prepared statements are planned once, generically, and then only run: PostgreSQL's
      // own choice replanned them on every commit (their array parameters' lengths make a custom
      // plan look cheaper), ~0.6 ms of planning per paced send (client-api-bench).
      const written = await this.#writer.write((tx) => persistRooms(tx, group.map((pending) => pending.batch), this.#context), { plannedGenerically: true });
      group.forEach((pending, i) => pending.resolve(written.value[i]!));
    } catch (error) {
      if (group.length === 1) return group[0]!.reject(error);
      await Promise.all(group.map((pending) => this.#run([pending])));
    }
  }
}
