// Long admin tasks (room deletion, history purges) recorded so a client can poll their status,
// as Synapse's scheduled_tasks: one row per task, its status and its result when done.
import type { Queryable } from '../database.ts';

export type AdminTaskStatus = 'scheduled' | 'active' | 'complete' | 'failed';

export interface AdminTask {
  readonly id: string;
  readonly action: string;
  /** The room (or other resource) the task works on. */
  readonly resourceId: string;
  readonly status: AdminTaskStatus;
  readonly result: Record<string, unknown> | null;
  readonly error: string | null;
  readonly createdTs: number;
}

interface TaskDbRow {
  id: string;
  action: string;
  resource_id: string;
  status: AdminTaskStatus;
  result: Record<string, unknown> | null;
  error: string | null;
  created_ts: number;
}

const toTask = (r: TaskDbRow): AdminTask => ({ id: r.id, action: r.action, resourceId: r.resource_id, status: r.status, result: r.result, error: r.error, createdTs: r.created_ts });

export async function insertAdminTask(db: Queryable, task: Pick<AdminTask, 'id' | 'action' | 'resourceId' | 'createdTs'>): Promise<void> {
  await db.query("INSERT INTO admin_tasks (id, action, resource_id, status, created_ts) VALUES ($1, $2, $3, 'scheduled', $4)", [
    task.id,
    task.action,
    task.resourceId,
    task.createdTs,
  ]);
}

export async function updateAdminTask(db: Queryable, id: string, update: { status: AdminTaskStatus; result?: Record<string, unknown>; error?: string }): Promise<void> {
  await db.query('UPDATE admin_tasks SET status = $2, result = coalesce($3::jsonb, result), error = coalesce($4, error) WHERE id = $1', [
    id,
    update.status,
    update.result === undefined ? null : JSON.stringify(update.result),
    update.error ?? null,
  ]);
}

export async function getAdminTask(db: Queryable, id: string): Promise<AdminTask | undefined> {
  const { rows } = await db.query<TaskDbRow>('SELECT * FROM admin_tasks WHERE id = $1', [id]);
  return rows[0] === undefined ? undefined : toTask(rows[0]);
}

export async function getAdminTasksFor(db: Queryable, resourceId: string, actions: readonly string[]): Promise<AdminTask[]> {
  const { rows } = await db.query<TaskDbRow>('SELECT * FROM admin_tasks WHERE resource_id = $1 AND action = ANY($2::text[]) ORDER BY created_ts, id', [resourceId, actions]);
  return rows.map(toTask);
}

/** Tasks a process stopped while running (they never finish): marked failed at start. */
export async function failInterruptedAdminTasks(db: Queryable): Promise<number> {
  const { rowCount } = await db.query("UPDATE admin_tasks SET status = 'failed', error = 'interrupted by a restart' WHERE status IN ('scheduled', 'active')");
  return rowCount;
}
