// Follows one room through raw incremental /sync calls the way a careful client does: when a
// sync is `limited`, it paginates /messages backwards from `prev_batch` until it reaches the last
// event it already has, so the timeline it builds has no gaps. Throws on any duplicate or on a
// gap that pagination cannot close.
import { Direction, Method, type IRoomEvent, type MatrixClient } from 'matrix-js-sdk';
import { walkMessages } from './room-history.ts';

interface SyncRoom {
  timeline?: { events?: IRoomEvent[]; limited?: boolean; prev_batch?: string };
}
interface SyncResponse {
  next_batch: string;
  rooms?: { join?: Record<string, SyncRoom> };
}

export interface SyncFollowerOptions {
  /** Timeline events per sync. Default: 20. */
  readonly timelineLimit?: number;
}

export class SyncFollower {
  readonly #client: MatrixClient;
  readonly #roomId: string;
  readonly #filter: string;
  readonly #events: IRoomEvent[] = [];
  readonly #ids = new Set<string>();
  #since: string | undefined;
  /** Syncs that came back `limited`, and the events pagination recovered for them. */
  limitedSyncs = 0;
  recoveredByPagination = 0;
  syncs = 0;

  constructor(client: MatrixClient, roomId: string, options: SyncFollowerOptions = {}) {
    this.#client = client;
    this.#roomId = roomId;
    this.#filter = JSON.stringify({ room: { rooms: [roomId], timeline: { limit: options.timelineLimit ?? 20 } }, presence: { types: [] } });
  }

  /** Everything followed so far, oldest first. */
  get events(): readonly IRoomEvent[] {
    return this.#events;
  }

  /** One /sync: the first is initial (its timeline is the starting point), later ones incremental. */
  async step(timeoutMs = 0): Promise<void> {
    const query: Record<string, string> = { filter: this.#filter, timeout: String(timeoutMs) };
    if (this.#since !== undefined) query['since'] = this.#since;
    const response = await this.#client.http.authedRequest<SyncResponse>(Method.Get, '/sync', query);
    this.syncs += 1;
    const timeline = response.rooms?.join?.[this.#roomId]?.timeline;
    const events = timeline?.events ?? [];
    if (timeline?.limited === true && this.#since !== undefined) {
      this.limitedSyncs += 1;
      if (timeline.prev_batch === undefined) throw new Error(`sync ${this.syncs} is limited but has no prev_batch`);
      const last = this.#events.at(-1)?.event_id;
      const walk = await walkMessages(this.#client, this.#roomId, Direction.Backward, { from: timeline.prev_batch, limit: 50, untilEventId: last });
      if (last !== undefined && !walk.reachedUntil) {
        throw new Error(`sync ${this.syncs}: paginating back from prev_batch never reached the last followed event ${last}`);
      }
      const gap = [...walk.events].reverse();
      this.recoveredByPagination += gap.length;
      for (const event of gap) this.#append(event, `the gap before sync ${this.syncs}`);
    }
    for (const event of events) this.#append(event, `sync ${this.syncs}`);
    this.#since = response.next_batch;
  }

  #append(event: IRoomEvent, where: string): void {
    if (this.#ids.has(event.event_id)) throw new Error(`${where} repeats event ${event.event_id} (${JSON.stringify(event.content).slice(0, 80)})`);
    this.#ids.add(event.event_id);
    this.#events.push(event);
  }
}
