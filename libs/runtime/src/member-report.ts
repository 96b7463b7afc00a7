// What this process tells the cluster about itself at each heartbeat: its roles, the actor kinds
// it hosts with their counts, and every stream writer and reader open on its transport.
import type { ActorSystem, MemberReport } from '@homeserver/actors';
import type { OpenStreamsSnapshot } from '@homeserver/streams';
import { readFileSync } from 'node:fs';

export function memberReport(sources: { roles: readonly string[]; actors: ActorSystem | undefined; streams: OpenStreamsSnapshot }): MemberReport {
  const kinds = sources.actors?.metrics() ?? [];
  return {
    roles: sources.roles,
    hostedKinds: sources.actors?.hostedKinds() ?? [],
    actorKinds: kinds.map((k) => ({ kind: k.kind, actors: k.actors, queued: k.queued })),
    streamWriters: sources.streams.writers.map((w) => ({ stream: w.stream, position: w.position })),
    streamReaders: sources.streams.readers.map((r) => ({ stream: r.stream, ready: r.ready, writers: r.writers })),
  };
}

let version: string | undefined;

/** The running code's version: HOMESERVER_VERSION if set (images set it), else the runtime package's. */
export function runtimeVersion(): string {
  if (version !== undefined) return version;
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string };
    version = process.env['HOMESERVER_VERSION'] ?? pkg.version ?? 'unknown';
  } catch {
    version = process.env['HOMESERVER_VERSION'] ?? 'unknown';
  }
  return version;
}
