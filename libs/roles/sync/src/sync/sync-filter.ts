// The `filter` parameter of /sync: inline JSON (starting with `{`) or the ID of a filter the
// user stored (CS-accounts' filter store), parsed with CS-accounts' parseFilter.
import { badJson, invalidParam } from '@homeserver/http';
import { InvalidFilterError, parseFilter, type Filter } from '@homeserver/services';

export type SyncFilter = Filter;

/** Looks up a stored filter by ID; undefined when unknown. */
export type LoadFilter = (userId: string, filterId: string) => Promise<Record<string, unknown> | undefined>;

const DEFAULT_TIMELINE_LIMIT = 10;

function parse(raw: unknown): SyncFilter {
  try {
    return parseFilter(raw);
  } catch (error) {
    if (error instanceof InvalidFilterError) throw badJson(error.message);
    throw error;
  }
}

export async function resolveSyncFilter(param: string | undefined, userId: string, load: LoadFilter | undefined): Promise<SyncFilter> {
  if (param === undefined || param === '') return parse({});
  if (param.trimStart().startsWith('{')) {
    let raw: unknown;
    try {
      raw = JSON.parse(param);
    } catch (error) {
      throw badJson(`cannot parse the filter parameter as JSON: ${(error as Error).message}`);
    }
    return parse(raw);
  }
  const stored = load ? await load(userId, param) : undefined;
  if (!stored) throw invalidParam(`cannot use filter ${JSON.stringify(param)}: no such filter for ${userId}`);
  return parse(stored);
}

export function timelineLimit(filter: SyncFilter): number {
  return Math.min(filter.room.timeline.limit ?? DEFAULT_TIMELINE_LIMIT, 100);
}
