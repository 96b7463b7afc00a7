// The wire form of cluster membership (cluster-membership.ts): a member's heartbeat (a beat
// without its stream and actor figures, or its full report) and a relay's view (the heartbeats
// of every live member, each with how long ago the relay heard from it).
import { ClusterViewMessage, ProcessHeartbeat, type IProcessHeartbeat } from '@homeserver/protocol';
import type { ClusterMember } from './cluster-view.ts';

/** A heartbeat as received: the member it describes and what the sender asks of the others. */
export interface Heard {
  /** Its `lastSeenMs` is when it was heard (in a view: less its age there). */
  readonly member: ClusterMember;
  readonly hello: boolean;
  readonly leaving: boolean;
  /** Without figures: `member` has none, and its `reportVersion` numbers the report they came in. */
  readonly beat: boolean;
  readonly wanted: readonly string[];
}

export interface HeartbeatFlags {
  /** Without the stream and actor figures. */
  readonly beat: boolean;
  readonly hello?: boolean;
  readonly leaving?: boolean;
  readonly wanted?: readonly string[];
  readonly ageMs?: number;
}

const num = (value: number | { toNumber(): number } | null | undefined) => (typeof value === 'number' ? value : (value?.toNumber() ?? 0));

export function heartbeatOf(member: ClusterMember, flags: HeartbeatFlags): IProcessHeartbeat {
  return {
    workerName: member.workerName,
    workerApp: member.workerApp,
    incarnation: member.incarnation,
    roles: [...member.roles],
    version: member.version,
    startedAtMs: member.startedAtMs,
    sentAtMs: Date.now(),
    intervalMs: member.intervalMs,
    hostedKinds: [...member.hostedKinds],
    hello: flags.hello ?? false,
    leaving: flags.leaving ?? false,
    // A member known only from beats has no report yet (-1): 0 asks nobody for anything.
    reportVersion: Math.max(0, member.reportVersion),
    beat: flags.beat,
    wanted: [...(flags.wanted ?? [])],
    ageMs: flags.ageMs ?? 0,
    ...(flags.beat
      ? {}
      : {
          streamWriters: member.streamWriters.map((w) => ({ ...w })),
          streamReaders: member.streamReaders.map((r) => ({ stream: r.stream, ready: r.ready, writers: r.writers.map((w) => ({ ...w })) })),
          actorKinds: member.actorKinds.map((k) => ({ ...k })),
        }),
  };
}

export function encodeHeartbeat(member: ClusterMember, flags: HeartbeatFlags): Uint8Array {
  return ProcessHeartbeat.encode(heartbeatOf(member, flags)).finish();
}

export function encodeView(view: { relayIncarnation: string; members: readonly IProcessHeartbeat[]; wanted: readonly string[] }): Uint8Array {
  return ClusterViewMessage.encode({ relayIncarnation: view.relayIncarnation, members: [...view.members], wanted: [...view.wanted] }).finish();
}

/** Reads one heartbeat; `lastSeenMs` is now, less its age in a view. */
export function heardOf(h: ReturnType<typeof ProcessHeartbeat.decode>, now: number): Heard {
  const member: ClusterMember = {
    workerName: h.workerName,
    workerApp: h.workerApp,
    incarnation: h.incarnation,
    version: h.version,
    roles: h.roles,
    hostedKinds: h.hostedKinds,
    startedAtMs: num(h.startedAtMs),
    lastSeenMs: now - Math.max(0, num(h.ageMs)),
    intervalMs: num(h.intervalMs) || 1000,
    reportVersion: num(h.reportVersion),
    streamWriters: h.streamWriters.map((w) => ({ stream: w.stream ?? '', position: num(w.position) })),
    streamReaders: h.streamReaders.map((r) => ({
      stream: r.stream ?? '',
      ready: r.ready ?? false,
      writers: (r.writers ?? []).map((w) => ({ writer: w.writer ?? '', position: num(w.position), latest: num(w.latest) })),
    })),
    actorKinds: h.actorKinds.map((k) => ({ kind: k.kind ?? '', actors: num(k.actors), queued: num(k.queued) })),
  };
  return { member, hello: h.hello, leaving: h.leaving, beat: h.beat, wanted: h.wanted };
}

export function decodeHeartbeat(payload: Uint8Array): Heard {
  return heardOf(ProcessHeartbeat.decode(payload), Date.now());
}

export function decodeView(payload: Uint8Array): { relayIncarnation: string; members: Heard[]; wanted: readonly string[] } {
  const view = ClusterViewMessage.decode(payload);
  const now = Date.now();
  return { relayIncarnation: view.relayIncarnation, members: view.members.map((m) => heardOf(m as ReturnType<typeof ProcessHeartbeat.decode>, now)), wanted: view.wanted };
}
