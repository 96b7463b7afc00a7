// One client's view of /sync across a federation test: every timeline event it was served, by
// room, with any event served twice recorded (the "no duplicates in /sync" check), and a wait
// for a condition on what it has seen (long-polls until it holds, bounded by a deadline so a
// broken federation fails the test instead of hanging it).
import type { ClusterClient } from '@homeserver/testing';

export interface SeenEvent {
  readonly event_id: string;
  readonly type: string;
  readonly sender: string;
  readonly state_key?: string;
  readonly content: Record<string, unknown>;
}

export class SyncWatcher {
  client: ClusterClient;
  /** Timeline events by room, in the order /sync served them. */
  readonly timeline = new Map<string, SeenEvent[]>();
  /** Event IDs /sync served more than once. */
  readonly duplicates: string[] = [];
  #since: string | undefined;
  readonly #seen = new Set<string>();

  constructor(client: ClusterClient) {
    this.client = client;
  }

  /** One /sync (long-polling up to `timeoutMs` for news); a failed request is retried by the caller's loop. */
  async poll(timeoutMs = 5000): Promise<void> {
    const query: Record<string, string> = { timeout: String(timeoutMs) };
    if (this.#since !== undefined) query['since'] = this.#since;
    const answer = await this.client.sync(query);
    if (answer.status !== 200) return;
    this.#since = String(answer.json['next_batch']);
    const joined = (answer.json['rooms']?.['join'] ?? {}) as Record<string, { timeline?: { events?: SeenEvent[] } }>;
    const left = (answer.json['rooms']?.['leave'] ?? {}) as Record<string, { timeline?: { events?: SeenEvent[] } }>;
    for (const [roomId, room] of [...Object.entries(joined), ...Object.entries(left)]) {
      const list = this.timeline.get(roomId) ?? [];
      for (const event of room.timeline?.events ?? []) {
        if (this.#seen.has(event.event_id)) this.duplicates.push(event.event_id);
        this.#seen.add(event.event_id);
        list.push(event);
      }
      this.timeline.set(roomId, list);
    }
  }

  /** Message bodies seen in a room, in order. */
  bodies(roomId: string): string[] {
    return (this.timeline.get(roomId) ?? []).filter((e) => e.type === 'm.room.message').map((e) => String(e.content['body']));
  }

  /** Polls /sync until `condition` holds; throws naming `what` after `deadlineMs`. */
  async until(what: string, condition: () => boolean, deadlineMs = 120_000): Promise<void> {
    const deadline = Date.now() + deadlineMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`${this.client.userId} never saw ${what}`);
      await this.poll();
    }
  }
}

/** Calls `attempt` until it answers `true`, for state that another server changes (bounded). */
export async function eventually(what: string, attempt: () => Promise<boolean>, deadlineMs = 120_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!(await attempt())) {
    if (Date.now() > deadline) throw new Error(`never happened: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
