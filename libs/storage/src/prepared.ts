// Statements run on every woken /sync or every send whose planning costs more than running
// them (the sync window overview plans in ~0.6 ms and runs in ~0.15 ms): marked here, they run
// as named prepared statements on real PostgreSQL (PostgreSQL's plan cache then plans them
// anew on every run unless a generic plan looks as cheap, which for arrays it never does: see
// preparedGeneric, and transactions planned generically in database.ts). Only fixed texts may
// be marked, or combinations of them (combined-writes.ts): each text is kept by every
// connection for its lifetime. PGlite's one session prepares them too (pglite-prepared.ts).
import { createHash } from 'node:crypto';

const names = new Map<string, string>();
const generic = new Set<string>();

/** Marks a fixed statement text as prepared; returns it unchanged. */
export function prepared(sql: string): string {
  if (!names.has(sql)) names.set(sql, `hs_${createHash('sha256').update(sql).digest('hex').slice(0, 24)}`);
  return sql;
}

/**
 * Marks a fixed statement text as prepared and planned once, generically, outside transactions
 * (pg-database.ts). Only for statements whose plan cannot hinge on their parameters' values:
 * arrays unnested into rows, each row's part run per row on the indexes its keys name, with no
 * ORDER BY ... LIMIT whose best scan depends on how many rows match (a room's newest page does:
 * a generic plan guessed a third of a room's events and sorted them all). Returns it unchanged.
 */
export function preparedGeneric(sql: string): string {
  generic.add(prepared(sql));
  return sql;
}

/** Whether a text was marked by preparedGeneric. */
export function plannedGenerically(sql: string): boolean {
  return generic.has(sql);
}

/** The prepared statement name of a marked text, else undefined. */
export function preparedName(sql: string): string | undefined {
  return names.get(sql);
}
