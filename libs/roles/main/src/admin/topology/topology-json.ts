// The cluster as the topology page shows it: every live process (from the heartbeats main hears
// on the transport) with its roles, stream writers, readers and their lag, hosted actor kinds and
// counts, heartbeat age and version; processes seen before but silent now (from the instances
// table); and, when asked, which process owns a given room's persister actor.
import type { ClusterMember, ClusterView } from '@homeserver/actors';
import type { InstanceRow } from '@homeserver/storage';

export interface TopologyOptions {
  readonly now: number;
  /** Instances the database knows (live or not). */
  readonly instances: readonly InstanceRow[];
  /** A room to locate, with the instance placement gives its persister actor. */
  readonly room?: { readonly roomId: string; readonly owner: string };
}

function processJson(m: ClusterMember, now: number): Record<string, unknown> {
  return {
    worker_name: m.workerName,
    worker_app: m.workerApp,
    roles: m.roles,
    version: m.version,
    started_at_ms: m.startedAtMs,
    last_heartbeat_ms: m.lastSeenMs,
    last_heartbeat_age_ms: Math.max(0, now - m.lastSeenMs),
    heartbeat_interval_ms: m.intervalMs,
    hosted_kinds: m.hostedKinds,
    stream_writers: m.streamWriters.map((w) => ({ stream: w.stream, position: w.position })),
    stream_readers: m.streamReaders.map((r) => ({
      stream: r.stream,
      ready: r.ready,
      writers: r.writers.map((w) => ({ writer: w.writer, position: w.position, latest: w.latest, lag: Math.max(0, w.latest - w.position) })),
    })),
    actor_kinds: m.actorKinds.map((k) => ({ kind: k.kind, actors: k.actors, queued: k.queued })),
  };
}

export function topologyJson(view: ClusterView, options: TopologyOptions): Record<string, unknown> {
  const live = view.members();
  const liveNames = new Set(live.map((m) => m.workerName));
  const gone = options.instances
    .filter((i) => !liveNames.has(i.instanceName))
    .map((i) => ({ worker_name: i.instanceName, worker_app: i.workerApp, last_seen_ms: i.lastSeenAtMs ?? null, stopped_cleanly: i.stoppedAtMs !== undefined }));
  return {
    generated_at_ms: options.now,
    served_by: view.self,
    processes: live.map((m) => processJson(m, options.now)),
    gone,
    ...(options.room === undefined ? {} : { room: { room_id: options.room.roomId, owner: options.room.owner } }),
  };
}
