// Public entry of @homeserver/storage: the only package that talks to PostgreSQL.
export type { Database, DatabaseOptions, PostgresConnectionOptions, QueryResult, Queryable, Session } from './database.ts';
export { DatabaseError, UNIQUE_VIOLATION, isUniqueViolation } from './database.ts';
export type { AdvisoryLock } from './advisory-lock.ts';
export { tryAdvisoryLock } from './advisory-lock.ts';
export type { Migration } from './migrations.ts';
export { MigrationError, applyMigrations, loadMigrations, splitStatements } from './migrations.ts';
export type { OpenDatabaseOptions } from './open-database.ts';
export { openDatabase } from './open-database.ts';
