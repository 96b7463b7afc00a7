// What cluster membership (cluster-membership.ts) tells the rest of the process: each live
// member's report, and who joined, left or changed what it hosts.
/** What a process reports of itself at each heartbeat (read fresh every time). */
export interface MemberReport {
  /** Roles hosted (main, sync, event-persister...). */
  readonly roles: readonly string[];
  /** Actor kinds hosted: placement counts this process for these kinds while it is live. */
  readonly hostedKinds: readonly string[];
  readonly streamWriters: readonly { readonly stream: string; readonly position: number }[];
  readonly streamReaders: readonly {
    readonly stream: string;
    readonly ready: boolean;
    readonly writers: readonly { readonly writer: string; readonly position: number; readonly latest: number }[];
  }[];
  readonly actorKinds: readonly { readonly kind: string; readonly actors: number; readonly queued: number }[];
}

/** One live process as the view knows it. */
export interface ClusterMember extends MemberReport {
  readonly workerName: string;
  readonly workerApp: string;
  /** Random per process start. */
  readonly incarnation: string;
  readonly version: string;
  readonly startedAtMs: number;
  /** When this process last heard from it (its own clock). */
  readonly lastSeenMs: number;
  /** The member's heartbeat interval. */
  readonly intervalMs: number;
  /** Numbers the member's full report these figures come from. */
  readonly reportVersion: number;
}

/** Who joined and who left the live view, and who now hosts other actor kinds. */
export interface ClusterChange {
  readonly joined: readonly string[];
  readonly left: readonly string[];
  /** Live members whose hosted actor kinds changed. */
  readonly changed: readonly string[];
}

/** Read access to the live cluster: what placement and the admin topology page use. */
export interface ClusterView {
  /** This process's worker name. */
  readonly self: string;
  /** Every live member (this process included), by worker name. */
  members(): readonly ClusterMember[];
  member(workerName: string): ClusterMember | undefined;
  isLive(workerName: string): boolean;
  /** Live members hosting actor `kind`, by name. */
  hostsOf(kind: string): readonly string[];
  /** Live members hosting `role` (e.g. the pushers a sharded consumer spreads over), by name. */
  withRole(role: string): readonly string[];
  /** Called after members join or leave or change their hosted kinds (not on every heartbeat). Returns an unsubscribe function. */
  onChange(listener: (change: ClusterChange) => void): () => void;
}
