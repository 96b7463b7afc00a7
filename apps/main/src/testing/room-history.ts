// Raw Client-Server reads used by the integration tests to compare what the SDK shows with
// what the API returns: full /messages walks in either direction, and polling waits.
import { Direction, type IRoomEvent, type MatrixClient } from 'matrix-js-sdk';

export interface PageWalk {
  /** Events in the order the pages returned them. */
  readonly events: readonly IRoomEvent[];
  /** The `end` token of every page that had one, in walk order. */
  readonly ends: readonly string[];
  /** Whether the walk stopped at `untilEventId` (false: it ran out of history first). */
  readonly reachedUntil: boolean;
}

export interface WalkOptions {
  /** Default: null (the live end when going backwards, the room's start going forwards). */
  readonly from?: string | null;
  /** Events per page. Default: 10. */
  readonly limit?: number;
  /** Stop once an event with this id is returned (it is not included). Default: walk to the end. */
  readonly untilEventId?: string;
  /** Safety bound on pages. Default: 1000. */
  readonly maxPages?: number;
}

/** Pages through /messages until the server says there is no more (no `end`, or an empty chunk). */
export async function walkMessages(client: MatrixClient, roomId: string, dir: Direction, options: WalkOptions = {}): Promise<PageWalk> {
  const events: IRoomEvent[] = [];
  const ends: string[] = [];
  let from = options.from ?? null;
  for (let page = 0; page < (options.maxPages ?? 1000); page += 1) {
    const response = await client.createMessagesRequest(roomId, from, options.limit ?? 10, dir);
    for (const event of response.chunk) {
      if (options.untilEventId !== undefined && event.event_id === options.untilEventId) return { events, ends, reachedUntil: true };
      events.push(event);
    }
    if (response.end === undefined || response.chunk.length === 0) return { events, ends, reachedUntil: false };
    ends.push(response.end);
    from = response.end;
  }
  throw new Error(`walking /messages of ${roomId} dir=${dir}: still more after ${options.maxPages ?? 1000} pages`);
}

/** The room's whole history, oldest first, via backward pagination from the live end. */
export async function historyOldestFirst(client: MatrixClient, roomId: string, limit = 50): Promise<IRoomEvent[]> {
  const walk = await walkMessages(client, roomId, Direction.Backward, { limit });
  return [...walk.events].reverse();
}

export interface WaitOptions {
  /** Default: 15 s. */
  readonly timeoutMs?: number;
  /** Default: 25 ms. */
  readonly intervalMs?: number;
}

/** Polls until `check` returns a value other than undefined/false; fails naming what it waited for. */
export async function waitUntil<T>(what: string, check: () => T | undefined | false, options: WaitOptions = {}): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${options.timeoutMs ?? 15_000} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 25));
  }
}
