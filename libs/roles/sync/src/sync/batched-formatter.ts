// The client-event formatter for the rooms of one /sync answer: rooms built in the same turn
// format their timelines (and state) with one call for all of them, so the formatter's reads
// (relations, the user's transaction ids, redactions and replaced state) are one statement each
// for the answer instead of one per room (issue 14). A call whose relations come from its own
// window (relationsFrom) reads nothing and goes straight through.
import type { JsonObject } from '@homeserver/matrix';
import type { EventFormatter, FormatOptions } from '@homeserver/services';
import type { StoredEvent } from '@homeserver/storage';
import { batchPerTick } from './tick-batch.ts';

/** What rooms-section.ts and joined-room.ts need of a formatter. */
export interface SyncFormatter {
  format(events: readonly StoredEvent[], options: FormatOptions): Promise<JsonObject[]>;
}

interface Call {
  readonly id: number;
  readonly events: readonly StoredEvent[];
  readonly options: FormatOptions;
}

/** Room versions as keys: the same object for the same version. */
const versionIds = new WeakMap<object, number>();
let nextVersionId = 1;
function versionId(version: object | undefined): number {
  if (version === undefined) return 0;
  let id = versionIds.get(version);
  if (id === undefined) versionIds.set(version, (id = nextVersionId++));
  return id;
}

/** Calls that can be one: same reader, same rendering, same room version. */
function alikeKey(options: FormatOptions): string {
  return JSON.stringify([options.requester?.userId, options.requester?.deviceId, options.omitRoomId, options.aggregate, options.replaced === undefined, options.txns === undefined, versionId(options.roomVersion)]);
}

export function batchedFormatter(formatter: Pick<EventFormatter, 'format'>): SyncFormatter {
  let nextId = 0;
  const load = batchPerTick(
    (call: Call) => String(call.id),
    async (calls: readonly Call[]) => {
      const groups = new Map<string, Call[]>();
      for (const call of calls) groups.set(alikeKey(call.options), [...(groups.get(alikeKey(call.options)) ?? []), call]);
      const out = new Map<string, JsonObject[]>();
      for (const alike of groups.values()) {
        const first = alike[0]!.options;
        const replaced = first.replaced === undefined ? undefined : new Map(alike.flatMap((call) => [...call.options.replaced!]));
        const txns = first.txns === undefined ? undefined : new Map(alike.flatMap((call) => [...call.options.txns!]));
        const formatted = await formatter.format(
          alike.flatMap((call) => call.events),
          { ...first, replaced, txns },
        );
        let at = 0;
        for (const call of alike) {
          out.set(String(call.id), formatted.slice(at, at + call.events.length));
          at += call.events.length;
        }
      }
      return out;
    },
  );
  return {
    format: async (events, options) => {
      if (events.length === 0 || options.relationsFrom !== undefined) return formatter.format(events, options);
      return (await load({ id: nextId++, events, options }))!;
    },
  };
}
