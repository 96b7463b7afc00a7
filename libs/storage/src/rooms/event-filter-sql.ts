// Turns a room event filter (the spec's RoomEventFilter fields that can be answered in SQL)
// into a WHERE fragment. Types and senders accept `*` wildcards in types, as Synapse does.

export interface RoomEventFilterSql {
  /** Only these event types (`*` matches any run of characters). Default: all. */
  readonly types?: readonly string[];
  /** Never these types (wins over `types`). Default: none. */
  readonly notTypes?: readonly string[];
  /** Only these senders. Default: all. */
  readonly senders?: readonly string[];
  /** Never these senders. Default: none. */
  readonly notSenders?: readonly string[];
  /** true = only events whose content has a `url`; false = only without. Default: either. */
  readonly containsUrl?: boolean;
  /** Only events relating (m.relates_to) with one of these rel_types. Default: all. */
  readonly relTypes?: readonly string[];
}

function likePattern(type: string): string {
  return type.replace(/[\\%_]/g, (c) => `\\${c}`).replace(/\*/g, '%');
}

/** Appends conditions on alias `e` to `clauses`, pushing parameters onto `params`. */
export function appendFilterSql(filter: RoomEventFilterSql | undefined, clauses: string[], params: unknown[]): void {
  if (!filter) return;
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  if (filter.types) {
    if (filter.types.length === 0) clauses.push('false');
    else clauses.push(`(${filter.types.map((t) => `e.type LIKE ${param(likePattern(t))}`).join(' OR ')})`);
  }
  for (const type of filter.notTypes ?? []) clauses.push(`e.type NOT LIKE ${param(likePattern(type))}`);
  if (filter.senders) clauses.push(`e.sender = ANY(${param([...filter.senders])}::text[])`);
  if (filter.notSenders && filter.notSenders.length > 0) clauses.push(`NOT (e.sender = ANY(${param([...filter.notSenders])}::text[]))`);
  if (filter.containsUrl !== undefined) {
    clauses.push(`${filter.containsUrl ? '' : 'NOT '}(e.json::jsonb -> 'content' ? 'url')`);
  }
  if (filter.relTypes) {
    clauses.push(`EXISTS (SELECT 1 FROM event_relations r WHERE r.event_id = e.event_id AND r.rel_type = ANY(${param([...filter.relTypes])}::text[]))`);
  }
}
