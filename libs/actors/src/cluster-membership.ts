// Cluster membership: every process announces itself on `cluster.heartbeat` every interval and
// listens to everyone else's. The live view is whoever was heard from within a few of their own
// intervals; a process that stops says so in a last `leaving` heartbeat, so it drops out at once
// rather than after the expiry. A starting process says `hello`, and every member answers with
// its full report straight away, so the newcomer has the whole view within one round trip.
//
// What a process reports comes in two weights, so that a cluster at rest (or under a steady
// load) costs each process little to hear: a full report (name, app, roles, hosted actor kinds,
// the stream writers and readers it runs with their positions, actor counts) goes out when it
// changed — at once for roles and hosted kinds (placement follows them), at most every
// `fullReportEveryMs` for the moving figures (positions, counts). Every other interval a member
// sends a beat: identity, roles, hosted kinds and the number of its last full report. A member
// that hears a beat numbering a report it lacks (it missed it, or joined after it) names the
// sender in `wanted`, and the sender sends its full report again.
//
// The bus carries the live view; PostgreSQL keeps each instance's last-seen time and last report
// (the `instances` table), for operators and for instances that are gone. Placement follows this
// view (live-placement.ts); the admin topology page reads it through ClusterView.
import { ProcessHeartbeat, type IProcessHeartbeat } from '@homeserver/protocol';
import { recordInstanceSeen, recordInstanceStart, recordInstanceStopped, type Queryable } from '@homeserver/storage';
import type { Subscription, Transport } from '@homeserver/transport';
import { randomUUID } from 'node:crypto';
import { silentActorLogger, type ActorLogger } from './actor-logger.ts';

/** The subject every process announces itself on. */
export const HEARTBEAT_SUBJECT = 'cluster.heartbeat';

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

export interface ClusterMembershipOptions {
  readonly workerName: string;
  readonly workerApp: string;
  /** Reported as is. Default: 'unknown'. */
  readonly version?: string;
  /** Read at every heartbeat. */
  readonly report: () => MemberReport;
  /** Heartbeat interval. Default: 1000 ms. */
  readonly intervalMs?: number;
  /**
   * Changed stream and actor figures go out in a full report at most this often (changed roles
   * or hosted kinds go out at the next beat). Default: 5000 ms.
   */
  readonly fullReportEveryMs?: number;
  /** A member is gone after this many of its intervals without a heartbeat. Default: 3. */
  readonly expireAfterIntervals?: number;
  /** Where last-seen times are kept (the `instances` table). Default: none (view only). */
  readonly db?: Queryable;
  /** How often the last-seen row is refreshed. Default: 5000 ms. */
  readonly recordEveryMs?: number;
  /** After saying hello, how long start() waits for the others' answers. Default: min(intervalMs, 300) ms. */
  readonly settleMs?: number;
  /** Default: silent. */
  readonly logger?: ActorLogger;
}

export const DEFAULT_HEARTBEAT_INTERVAL_MS = 1000;

export const DEFAULT_FULL_REPORT_EVERY_MS = 5000;

type DecodedHeartbeat = ClusterMember & { readonly hello: boolean; readonly leaving: boolean; readonly beat: boolean; readonly wanted: readonly string[] };

/** What placement reads of a report; a change goes out at once. */
const identityOf = (report: Pick<MemberReport, 'roles' | 'hostedKinds'>) => `${report.roles.join(' ')}|${report.hostedKinds.join(' ')}`;
/** The moving figures of a report; a change goes out with the next full report. */
const figuresOf = (report: MemberReport) => JSON.stringify([report.streamWriters, report.streamReaders, report.actorKinds]);

export class ClusterMembership implements ClusterView {
  readonly self: string;
  readonly incarnation = randomUUID();
  readonly startedAtMs = Date.now();
  #transport: Transport;
  #options: ClusterMembershipOptions;
  #logger: ActorLogger;
  #intervalMs: number;
  #members = new Map<string, ClusterMember>();
  #listeners = new Set<(change: ClusterChange) => void>();
  #subscription: Subscription | undefined;
  #timer: NodeJS.Timeout | undefined;
  #lastRecordMs = 0;
  #recording: Promise<void> = Promise.resolve();
  #answerQueued = false;
  /** The number of this process's last full report, and what it said. */
  #reportVersion = 0;
  #sentIdentity: string | undefined;
  #sentFigures: string | undefined;
  #fullSentAt = 0;
  /** Members whose full report this process lacks (asked for in the next beat). */
  #wanted = new Set<string>();
  #askQueued = false;
  #warnedTwins = new Set<string>();
  #leaving = false;
  #stopped = false;

  private constructor(transport: Transport, options: ClusterMembershipOptions) {
    this.self = options.workerName;
    this.#transport = transport;
    this.#options = options;
    this.#logger = options.logger ?? silentActorLogger;
    this.#intervalMs = options.intervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS;
  }

  /** Records the start, subscribes, says hello and waits briefly for the others' answers. */
  static async start(transport: Transport, options: ClusterMembershipOptions): Promise<ClusterMembership> {
    const membership = new ClusterMembership(transport, options);
    await membership.#start();
    return membership;
  }

  members(): readonly ClusterMember[] {
    this.#expire();
    return [...this.#members.values()].sort((a, b) => (a.workerName < b.workerName ? -1 : 1));
  }

  member(workerName: string): ClusterMember | undefined {
    return this.isLive(workerName) ? this.#members.get(workerName) : undefined;
  }

  isLive(workerName: string): boolean {
    const member = this.#members.get(workerName);
    return member !== undefined && !this.#expired(member, Date.now());
  }

  hostsOf(kind: string): readonly string[] {
    return this.members()
      .filter((member) => member.hostedKinds.includes(kind))
      .map((member) => member.workerName);
  }

  withRole(role: string): readonly string[] {
    return this.members()
      .filter((member) => member.roles.includes(role))
      .map((member) => member.workerName);
  }

  onChange(listener: (change: ClusterChange) => void): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  /** Publishes the full report now (e.g. once the process hosts its actor kinds), not at the next beat. */
  async announce(): Promise<void> {
    if (!this.#leaving) await this.#publish({ full: true });
  }

  /**
   * Announces this process's departure, so others stop placing work here at once, and drops
   * itself from its own view (its placement moves local keys away and the actor system releases
   * them). Other members stay in the view until stop().
   */
  async leave(): Promise<void> {
    if (this.#leaving) return;
    this.#leaving = true;
    clearInterval(this.#timer);
    await this.#transport.publish(HEARTBEAT_SUBJECT, this.#encode(this.#options.report(), { beat: true, leaving: true })).catch(() => {});
    if (this.#members.delete(this.self)) this.#emit({ joined: [], left: [this.self], changed: [] });
  }

  /** Leaves (if not yet), stops listening and records the stop in PostgreSQL. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    await this.leave();
    this.#stopped = true;
    await this.#subscription?.unsubscribe().catch(() => {});
    await this.#recording;
    const db = this.#options.db;
    if (db) await recordInstanceStopped(db, { name: this.self, incarnation: this.incarnation }).catch((error: unknown) => this.#logger.warn({ err: error }, 'could not record the instance stop'));
  }

  async #start(): Promise<void> {
    const db = this.#options.db;
    if (db) await recordInstanceStart(db, { name: this.self, workerApp: this.#options.workerApp, incarnation: this.incarnation });
    this.#lastRecordMs = Date.now();
    this.#subscription = await this.#transport.subscribe(HEARTBEAT_SUBJECT, (message) => this.#receive(message.payload));
    await this.#publish({ hello: true, full: true });
    this.#timer = setInterval(() => this.#beat(), this.#intervalMs);
    this.#timer.unref();
    const settleMs = this.#options.settleMs ?? Math.min(this.#intervalMs, 300);
    if (settleMs > 0) await new Promise((resolve) => setTimeout(resolve, settleMs).unref());
  }

  #beat(): void {
    if (this.#leaving) return;
    void this.#publish({});
    this.#expire();
    const db = this.#options.db;
    if (db && Date.now() - this.#lastRecordMs >= (this.#options.recordEveryMs ?? 5000)) {
      this.#lastRecordMs = Date.now();
      const report = this.#members.get(this.self);
      this.#recording = recordInstanceSeen(db, { name: this.self, incarnation: this.incarnation, report }).catch((error: unknown) =>
        this.#logger.warn({ err: error }, 'could not record the instance as seen'),
      );
    }
  }

  /**
   * Sends a beat, or the full report when asked (`full`), when roles or hosted kinds changed, or
   * when the figures changed and the last full report is `fullReportEveryMs` old.
   */
  async #publish(flags: { hello?: boolean; full?: boolean }): Promise<void> {
    if (this.#leaving) return;
    const report = this.#options.report();
    const identity = identityOf(report);
    const figures = figuresOf(report);
    const now = Date.now();
    const full =
      flags.full === true ||
      identity !== this.#sentIdentity ||
      (figures !== this.#sentFigures && now - this.#fullSentAt >= (this.#options.fullReportEveryMs ?? DEFAULT_FULL_REPORT_EVERY_MS));
    if (full) {
      if (identity !== this.#sentIdentity || figures !== this.#sentFigures) this.#reportVersion++;
      this.#sentIdentity = identity;
      this.#sentFigures = figures;
      this.#fullSentAt = now;
    }
    // This process is in its own view from the start, whether or not the bus echoes to it, with
    // its figures as of now (its `instances` row records them).
    this.#apply(this.#memberOf(report, now));
    const payload = this.#encode(report, { hello: flags.hello ?? false, beat: !full, wanted: [...this.#wanted] });
    this.#wanted.clear();
    try {
      await this.#transport.publish(HEARTBEAT_SUBJECT, payload);
    } catch (error) {
      // A lost heartbeat costs nothing unless several in a row are lost (the transport is down).
      this.#logger.warn({ err: error }, 'heartbeat not published');
    }
  }

  #memberOf(report: MemberReport, now: number): ClusterMember {
    return {
      workerName: this.self,
      workerApp: this.#options.workerApp,
      incarnation: this.incarnation,
      version: this.#options.version ?? 'unknown',
      startedAtMs: this.startedAtMs,
      lastSeenMs: now,
      intervalMs: this.#intervalMs,
      reportVersion: this.#reportVersion,
      roles: [...report.roles],
      hostedKinds: [...report.hostedKinds],
      streamWriters: report.streamWriters,
      streamReaders: report.streamReaders,
      actorKinds: report.actorKinds,
    };
  }

  #encode(report: MemberReport, flags: { hello?: boolean; leaving?: boolean; beat: boolean; wanted?: readonly string[] }): Uint8Array {
    const heartbeat: IProcessHeartbeat = {
      workerName: this.self,
      workerApp: this.#options.workerApp,
      incarnation: this.incarnation,
      roles: [...report.roles],
      version: this.#options.version ?? 'unknown',
      startedAtMs: this.startedAtMs,
      sentAtMs: Date.now(),
      intervalMs: this.#intervalMs,
      hostedKinds: [...report.hostedKinds],
      hello: flags.hello ?? false,
      leaving: flags.leaving ?? false,
      reportVersion: this.#reportVersion,
      beat: flags.beat,
      wanted: [...(flags.wanted ?? [])],
      ...(flags.beat
        ? {}
        : {
            streamWriters: report.streamWriters.map((w) => ({ ...w })),
            streamReaders: report.streamReaders.map((r) => ({ stream: r.stream, ready: r.ready, writers: r.writers.map((w) => ({ ...w })) })),
            actorKinds: report.actorKinds.map((k) => ({ ...k })),
          }),
    };
    return ProcessHeartbeat.encode(heartbeat).finish();
  }

  #decodeMember(payload: Uint8Array): DecodedHeartbeat {
    const h = ProcessHeartbeat.decode(payload);
    const num = (value: number | { toNumber(): number } | null | undefined) => (typeof value === 'number' ? value : (value?.toNumber() ?? 0));
    return {
      workerName: h.workerName,
      workerApp: h.workerApp,
      incarnation: h.incarnation,
      version: h.version,
      roles: h.roles,
      hostedKinds: h.hostedKinds,
      startedAtMs: num(h.startedAtMs),
      lastSeenMs: Date.now(),
      intervalMs: num(h.intervalMs) || DEFAULT_HEARTBEAT_INTERVAL_MS,
      reportVersion: num(h.reportVersion),
      streamWriters: h.streamWriters.map((w) => ({ stream: w.stream ?? '', position: num(w.position) })),
      streamReaders: h.streamReaders.map((r) => ({
        stream: r.stream ?? '',
        ready: r.ready ?? false,
        writers: (r.writers ?? []).map((w) => ({ writer: w.writer ?? '', position: num(w.position), latest: num(w.latest) })),
      })),
      actorKinds: h.actorKinds.map((k) => ({ kind: k.kind ?? '', actors: num(k.actors), queued: num(k.queued) })),
      hello: h.hello,
      leaving: h.leaving,
      beat: h.beat,
      wanted: h.wanted,
    };
  }

  #receive(payload: Uint8Array): void {
    if (this.#stopped) return;
    let decoded: DecodedHeartbeat;
    try {
      decoded = this.#decodeMember(payload);
    } catch (error) {
      this.#logger.warn({ err: error }, 'undecodable heartbeat ignored');
      return;
    }
    const { hello, leaving, beat, wanted, ...heard } = decoded;
    // Our own echo: this process keeps its own entry (and must not be put back after leaving).
    if (heard.incarnation === this.incarnation) return;
    if (wanted.includes(this.self)) this.#answerHello();
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(heard.workerName)) return;
    const known = this.#members.get(heard.workerName);
    const member = beat ? this.#fromBeat(heard, known) : heard;
    if (known && known.incarnation !== member.incarnation && !leaving) this.#noteTwins(known, member);
    if (leaving) {
      // Only the incarnation we know may take the name out (a twin leaving must not drop the other).
      if (known && known.incarnation === member.incarnation) {
        this.#members.delete(member.workerName);
        this.#emit({ joined: [], left: [member.workerName], changed: [] });
      }
      return;
    }
    this.#apply(member);
    if (beat && member.reportVersion !== heard.reportVersion) this.#ask(heard.workerName);
    else if (!beat) this.#wanted.delete(heard.workerName);
    if (hello) this.#answerHello();
  }

  /**
   * A beat refreshes a member's liveness, roles and hosted kinds, and keeps the figures of its
   * last full report (none for a member first heard through a beat): `reportVersion` stays the
   * known report's, so a beat numbering another shows the report is missing.
   */
  #fromBeat(heard: ClusterMember, known: ClusterMember | undefined): ClusterMember {
    if (known && known.incarnation === heard.incarnation) {
      return { ...known, lastSeenMs: heard.lastSeenMs, roles: heard.roles, hostedKinds: heard.hostedKinds };
    }
    return { ...heard, reportVersion: -1 };
  }

  /** Names `workerName` in a beat sent at once (several asks in one tick share one beat). */
  #ask(workerName: string): void {
    this.#wanted.add(workerName);
    if (this.#askQueued) return;
    this.#askQueued = true;
    queueMicrotask(() => {
      this.#askQueued = false;
      if (!this.#leaving && this.#wanted.size > 0) void this.#publish({});
    });
  }

  #apply(member: ClusterMember): void {
    const known = this.#members.get(member.workerName);
    const wasLive = known !== undefined && !this.#expired(known, Date.now());
    this.#members.set(member.workerName, member);
    if (!wasLive) this.#emit({ joined: [member.workerName], left: [], changed: [] });
    else if (known.hostedKinds.join(' ') !== member.hostedKinds.join(' ')) this.#emit({ joined: [], left: [], changed: [member.workerName] });
  }

  /** Sends the full report to a newcomer (or to whoever asked) once, even if several ask together. */
  #answerHello(): void {
    if (this.#answerQueued) return;
    this.#answerQueued = true;
    queueMicrotask(() => {
      this.#answerQueued = false;
      if (!this.#leaving) void this.#publish({ full: true });
    });
  }

  #noteTwins(known: ClusterMember, other: ClusterMember): void {
    const pair = [known.incarnation, other.incarnation].sort().join(' ');
    if (this.#warnedTwins.has(pair)) return;
    this.#warnedTwins.add(pair);
    this.#logger.error(
      { worker_name: other.workerName, incarnations: [known.incarnation, other.incarnation], self: other.workerName === this.self },
      'two processes announce the same worker_name',
    );
  }

  #expired(member: ClusterMember, now: number): boolean {
    if (member.workerName === this.self && member.incarnation === this.incarnation) return false;
    return now - member.lastSeenMs > member.intervalMs * (this.#options.expireAfterIntervals ?? 3);
  }

  #expire(): void {
    const now = Date.now();
    const left: string[] = [];
    for (const [name, member] of this.#members) {
      if (this.#expired(member, now)) {
        this.#members.delete(name);
        left.push(name);
      }
    }
    if (left.length > 0) this.#emit({ joined: [], left, changed: [] });
  }

  #emit(change: ClusterChange): void {
    if (change.left.length > 0) this.#logger.info({ left: change.left }, 'cluster members left');
    if (change.joined.length > 0) this.#logger.info({ joined: change.joined }, 'cluster members joined');
    for (const listener of this.#listeners) {
      try {
        listener(change);
      } catch (error) {
        this.#logger.error({ err: error }, 'cluster change listener threw');
      }
    }
  }
}
