// The `instances` table: one row per process name that ever started, refreshed by the process's
// cluster membership while it runs (last_seen_at, its last report), marked stopped when it leaves.
import type { Queryable } from '../database.ts';

export interface InstanceRow {
  readonly instanceName: string;
  readonly workerApp: string;
  /** Random per start of the process. Undefined for rows written before membership existed. */
  readonly incarnation: string | undefined;
  readonly startedAtMs: number;
  /** Undefined until the first heartbeat was recorded. */
  readonly lastSeenAtMs: number | undefined;
  /** Set when the process left cleanly (and not started since). */
  readonly stoppedAtMs: number | undefined;
  /** The instance's last heartbeat as JSON (its shape is libs/actors' ClusterMember). */
  readonly report: unknown;
}

/** Records a process start (a new incarnation of `instanceName`). */
export async function recordInstanceStart(db: Queryable, instance: { name: string; workerApp: string; incarnation: string }): Promise<void> {
  await db.query(
    `INSERT INTO instances (instance_name, worker_app, incarnation, started_at, last_seen_at, stopped_at) VALUES ($1, $2, $3, now(), now(), NULL)
     ON CONFLICT (instance_name) DO UPDATE SET worker_app = $2, incarnation = $3, started_at = now(), last_seen_at = now(), stopped_at = NULL`,
    [instance.name, instance.workerApp, instance.incarnation],
  );
}

/**
 * Refreshes the last-seen time and report of live instances in one statement (the cluster
 * relay writes every member's); a row another incarnation took over is left alone.
 */
export async function recordInstancesSeen(db: Queryable, instances: readonly { name: string; incarnation: string; report: unknown }[]): Promise<void> {
  if (instances.length === 0) return;
  await db.query(
    `UPDATE instances SET last_seen_at = now(), report = seen.report
       FROM unnest($1::text[], $2::text[], $3::jsonb[]) AS seen(name, incarnation, report)
      WHERE instance_name = seen.name AND instances.incarnation = seen.incarnation`,
    [instances.map((i) => i.name), instances.map((i) => i.incarnation), instances.map((i) => JSON.stringify(i.report))],
  );
}

/** Marks a clean stop of this incarnation. */
export async function recordInstanceStopped(db: Queryable, instance: { name: string; incarnation: string }): Promise<void> {
  await db.query('UPDATE instances SET stopped_at = now(), last_seen_at = now() WHERE instance_name = $1 AND incarnation = $2', [instance.name, instance.incarnation]);
}

/** Every instance that ever started, by name. */
export async function listInstances(db: Queryable): Promise<InstanceRow[]> {
  const { rows } = await db.query<{
    instance_name: string;
    worker_app: string;
    incarnation: string | null;
    started_ms: number;
    seen_ms: number | null;
    stopped_ms: number | null;
    report: unknown;
  }>(
    `SELECT instance_name, worker_app, incarnation,
            (extract(epoch FROM started_at) * 1000)::int8 AS started_ms,
            (extract(epoch FROM last_seen_at) * 1000)::int8 AS seen_ms,
            (extract(epoch FROM stopped_at) * 1000)::int8 AS stopped_ms,
            report
       FROM instances ORDER BY instance_name`,
  );
  return rows.map((row) => ({
    instanceName: row.instance_name,
    workerApp: row.worker_app,
    incarnation: row.incarnation ?? undefined,
    startedAtMs: Number(row.started_ms),
    lastSeenAtMs: row.seen_ms === null ? undefined : Number(row.seen_ms),
    stoppedAtMs: row.stopped_ms === null ? undefined : Number(row.stopped_ms),
    report: typeof row.report === 'string' ? (JSON.parse(row.report) as unknown) : row.report,
  }));
}
