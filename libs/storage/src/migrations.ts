// Plain-SQL migrations from libs/storage/migrations, applied in file-name order at start.
// A session-scoped advisory lock makes concurrent starters wait, so exactly one migrates.
// Number ranges keep areas apart: 0001-0099 core, 0100-0199 streams, 0200-0299 actors,
// 1000+ client-server API.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Database } from './database.ts';

const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations/', import.meta.url));
const MIGRATION_LOCK = 'homeserver:migrations';

export interface Migration {
  readonly name: string;
  readonly sql: string;
  readonly checksum: string;
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

export async function loadMigrations(dir: string = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((file) => file.endsWith('.sql')).sort();
  return Promise.all(
    files.map(async (file) => {
      const sql = await readFile(new URL(file, `file://${dir}`), 'utf8');
      return { name: file.replace(/\.sql$/, ''), sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

/** Applies every migration not yet recorded; returns the names applied now. */
export async function applyMigrations(db: Database, migrations?: readonly Migration[]): Promise<string[]> {
  const pending = migrations ?? (await loadMigrations());
  const session = await db.acquireSession();
  try {
    await session.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [MIGRATION_LOCK]);
    try {
      await session.query(
        `CREATE TABLE IF NOT EXISTS schema_migrations (
           name text PRIMARY KEY,
           checksum text NOT NULL,
           applied_at timestamptz NOT NULL DEFAULT now()
         )`,
      );
      const { rows } = await session.query<{ name: string; checksum: string }>('SELECT name, checksum FROM schema_migrations');
      const applied = new Map(rows.map((row) => [row.name, row.checksum]));
      const appliedNow: string[] = [];
      for (const migration of pending) {
        const checksum = applied.get(migration.name);
        if (checksum !== undefined) {
          if (checksum !== migration.checksum) {
            throw new MigrationError(`migration ${migration.name} was changed after it was applied (checksum ${checksum} != ${migration.checksum}); add a new migration instead`);
          }
          continue;
        }
        await session.query('BEGIN');
        try {
          for (const statement of splitStatements(migration.sql)) await session.query(statement);
          await session.query('INSERT INTO schema_migrations (name, checksum) VALUES ($1, $2)', [migration.name, migration.checksum]);
          await session.query('COMMIT');
        } catch (error) {
          await session.query('ROLLBACK');
          throw new MigrationError(`migration ${migration.name} failed: ${(error as Error).message}`, { cause: error });
        }
        appliedNow.push(migration.name);
      }
      return appliedNow;
    } finally {
      await session.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [MIGRATION_LOCK]);
    }
  } finally {
    await session.release();
  }
}

/**
 * Splits a script on semicolons that end a line. Migrations keep one statement per
 * `;`-terminated block; dollar-quoted function bodies must put `$$;` on its own line.
 */
export function splitStatements(sql: string): string[] {
  const statements: string[] = [];
  let current: string[] = [];
  let inDollarQuote = false;
  for (const line of sql.split('\n')) {
    if (line.trim().startsWith('--') && current.length === 0) continue;
    current.push(line);
    const dollars = line.match(/\$\$/g)?.length ?? 0;
    if (dollars % 2 === 1) inDollarQuote = !inDollarQuote;
    if (!inDollarQuote && line.trimEnd().endsWith(';')) {
      const statement = current.join('\n').trim();
      if (statement !== ';') statements.push(statement);
      current = [];
    }
  }
  const rest = current.join('\n').trim();
  if (rest !== '') statements.push(rest);
  return statements;
}
