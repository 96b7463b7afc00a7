// Statements run on every woken /sync or every send whose planning costs more than running
// them (the sync window overview plans in ~0.6 ms and runs in ~0.15 ms): marked here, they run
// as named prepared statements on real PostgreSQL, planned once per connection (and by
// PostgreSQL's plan cache after that). Only fixed texts may be marked: each text is kept by
// every connection for its lifetime. PGlite runs them as any other statement.
import { createHash } from 'node:crypto';

const names = new Map<string, string>();

/** Marks a fixed statement text as prepared; returns it unchanged. */
export function prepared(sql: string): string {
  if (!names.has(sql)) names.set(sql, `hs_${createHash('sha256').update(sql).digest('hex').slice(0, 24)}`);
  return sql;
}

/** The prepared statement name of a marked text, else undefined. */
export function preparedName(sql: string): string | undefined {
  return names.get(sql);
}
