// Several writes of one transaction sent as ONE statement (one round trip): each write becomes a
// data-modifying CTE with its parameters renumbered after the previous ones'. The group commit
// of the room persisters writes a whole group's rows this way, a few statements per group.
import type { Queryable } from './database.ts';
import { prepared, preparedName } from './prepared.ts';

/** One data-modifying statement ($1.. its own parameters), without a WITH clause of its own. */
export interface WritePart {
  readonly sql: string;
  readonly params: readonly unknown[];
  /**
   * The part's CTE name, for later parts and the returning part to read its rows (a RETURNING
   * clause, or a SELECT over earlier parts). Default: w<its index>.
   */
  readonly name?: string;
}

function renumbered(part: WritePart, offset: number): string {
  return offset === 0 ? part.sql : part.sql.replace(/\$(\d+)/g, (_match, n: string) => `$${Number(n) + offset}`);
}

/**
 * Runs `parts` as one statement, then answers the rows of `returning` (a last part whose
 * RETURNING rows the caller reads; none: no rows). Every part sees the snapshot the statement
 * started with, so no part may read or change rows another part writes: callers combine writes
 * to independent tables or rows (no trigger or foreign key ties the rooms tables together).
 */
export async function runCombinedWrites<Row = Record<string, unknown>>(tx: Queryable, parts: readonly WritePart[], returning?: WritePart): Promise<Row[]> {
  const all = returning ? [...parts, returning] : parts;
  if (all.length === 0) return [];
  if (all.length === 1) return (await tx.query<Row>(all[0]!.sql, all[0]!.params)).rows;
  const params: unknown[] = [];
  const ctes = parts.map((part, i) => {
    const sql = renumbered(part, params.length);
    params.push(...part.params);
    return `${part.name ?? `w${i}`} AS (${sql})`;
  });
  let main = 'SELECT 1 WHERE false';
  if (returning) {
    main = renumbered(returning, params.length);
    params.push(...returning.params);
  }
  const sql = `WITH ${ctes.join(',\n')}\n${main}`;
  // A combination of prepared parts is prepared too: there are only as many such texts as
  // subsets of the parts' fixed texts, and a group commit (planned generically) runs the same
  // few on every commit.
  return (await tx.query<Row>(all.every((part) => preparedName(part.sql) !== undefined) ? prepared(sql) : sql, params)).rows;
}
