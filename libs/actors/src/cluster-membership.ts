// Cluster membership: every process announces itself on `cluster.heartbeat` every interval, but
// only one of them hears those: the relay, the first live member in relay order (a process
// hosting `main` first, then by name, so every member computes the same one from the same
// view). The relay publishes the combined live view on `cluster.view` every interval, and at
// once when a member joins, leaves or changes what it hosts; everyone else reads only that. So a
// process at rest hears one message an interval, not one per process (measured: hearing every
// other process's heartbeat was most of an idle worker's CPU).
//
// Liveness: the relay drops a member after a few of its intervals without a heartbeat; the view
// counts as the relay's own heartbeat, so when views stop for as long, every other member drops
// the relay and the next in relay order takes over (it starts hearing heartbeats and publishes
// its view at once, with each member's age as the old relay last told it). A process that stops
// says so (a `leaving` heartbeat, or the relay's last view), so it drops out at once. A starting
// process says `hello`, and the relay answers with the full view straight away.
//
// What a process reports comes in two weights, so that a cluster at rest costs little: a full
// report (roles, hosted actor kinds, the stream writers and readers it runs with their positions,
// actor counts) goes out when it changed — at once for roles and hosted kinds (placement follows
// them), at most every `fullReportEveryMs` for the moving figures. Every other interval it sends
// a beat: identity, roles, hosted kinds and the number of its last full report. The view carries
// a member's full report when it is new to the view or someone asked; a member lacking a report
// names it in `wanted` (in its beat, to the relay; in the view, from the relay to the member).
//
// PostgreSQL keeps each instance's last-seen time and last report (the `instances` table), written
// by the relay for every live member in one statement. Placement follows the view
// (live-placement.ts); the admin topology page reads it through ClusterView.
import { recordInstancesSeen, recordInstanceStart, recordInstanceStopped, type Queryable } from '@homeserver/storage';
import type { Subscription, Transport } from '@homeserver/transport';
import { randomUUID } from 'node:crypto';
import { silentActorLogger, type ActorLogger } from './actor-logger.ts';
import type { ClusterChange, ClusterMember, ClusterView, MemberReport } from './cluster-view.ts';
import { decodeHeartbeat, decodeView, encodeHeartbeat, encodeView, heartbeatOf, type Heard } from './heartbeat-codec.ts';
import { OwnReport } from './own-report.ts';
import { ViewEntries } from './view-entries.ts';


/** The subject every process announces itself on (heard by the relay). */
export const HEARTBEAT_SUBJECT = 'cluster.heartbeat';
/** The subject the relay publishes the live view on (heard by everyone). */
export const VIEW_SUBJECT = 'cluster.view';

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
  /** A member (or the relay's view) is gone after this many of its intervals without a word. Default: 3. */
  readonly expireAfterIntervals?: number;
  /** Where last-seen times are kept (the `instances` table), written by the relay. Default: none (view only). */
  readonly db?: Queryable;
  /** How often the relay refreshes the live members' last-seen rows. Default: 5000 ms. */
  readonly recordEveryMs?: number;
  /** After saying hello, how long start() waits for the relay's answer. Default: min(intervalMs, 300) ms. */
  readonly settleMs?: number;
  /** Default: silent. */
  readonly logger?: ActorLogger;
}

export const DEFAULT_HEARTBEAT_INTERVAL_MS = 1000;

export const DEFAULT_FULL_REPORT_EVERY_MS = 5000;

const validName = (name: string) => /^[A-Za-z0-9_-]{1,64}$/.test(name);
/** Relay order: a process hosting `main` (busy anyway, and always there) first, then by name. */
const relayKey = (member: ClusterMember) => `${member.roles.includes('main') ? 0 : 1}${member.workerName}`;

export class ClusterMembership implements ClusterView {
  readonly self: string;
  readonly incarnation = randomUUID();
  readonly startedAtMs = Date.now();
  #transport: Transport;
  #options: ClusterMembershipOptions;
  #logger: ActorLogger;
  #intervalMs: number;
  #expireAfter: number;
  #members = new Map<string, ClusterMember>();
  #listeners = new Set<(change: ClusterChange) => void>();
  #viewSubscription: Subscription | undefined;
  /** Heartbeats are heard while this process is the relay. */
  #beats: Promise<Subscription | undefined> | undefined;
  #relaying = false;
  /** When a view last came from another process (a follower drops the relay when they stop). */
  #lastViewMs = Date.now();
  #timer: NodeJS.Timeout | undefined;
  #expiryTimer: NodeJS.Timeout | undefined;
  #lastRecordMs = 0;
  #recording: Promise<void> = Promise.resolve();
  #own: OwnReport;
  #entries = new ViewEntries();
  #viewQueued = false;
  /** Members whose full report this process lacks (asked for in each beat or view until it comes). */
  #wanted = new Set<string>();
  #askQueued = false;
  #answerQueued = false;
  #answeredAt = 0;
  #warnedTwins = new Set<string>();
  #leaving = false;
  #stopped = false;

  private constructor(transport: Transport, options: ClusterMembershipOptions) {
    this.self = options.workerName;
    this.#transport = transport;
    this.#options = options;
    this.#logger = options.logger ?? silentActorLogger;
    this.#intervalMs = options.intervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS;
    this.#expireAfter = options.expireAfterIntervals ?? 3;
    this.#own = new OwnReport(options.fullReportEveryMs ?? DEFAULT_FULL_REPORT_EVERY_MS);
  }

  /** Records the start, subscribes, says hello and waits briefly for the relay's answer. */
  static async start(transport: Transport, options: ClusterMembershipOptions): Promise<ClusterMembership> {
    const membership = new ClusterMembership(transport, options);
    await membership.#start();
    return membership;
  }

  /** Whether this process is the relay now. */
  get relaying(): boolean {
    return this.#relaying;
  }

  members(): readonly ClusterMember[] {
    this.#expire();
    return [...this.#members.values()].sort((a, b) => (a.workerName < b.workerName ? -1 : 1));
  }

  member(workerName: string): ClusterMember | undefined {
    return this.isLive(workerName) ? this.#members.get(workerName) : undefined;
  }

  isLive(workerName: string): boolean {
    this.#expire();
    return this.#members.has(workerName);
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
    if (!this.#leaving) await this.#publishOwn({ full: true });
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
    clearTimeout(this.#expiryTimer);
    const self = this.#members.get(this.self);
    if (self) {
      // The relay's last view names everyone else, so its followers keep them while the next relay takes over.
      const now = Date.now();
      const members = [...this.#members.values()].map((m) => heartbeatOf(m, { beat: true, leaving: m === self, ageMs: m === self ? 0 : Math.max(0, now - m.lastSeenMs) }));
      const payload = this.#relaying
        ? encodeView({ relayIncarnation: this.incarnation, members, wanted: [] })
        : encodeHeartbeat(self, { beat: true, leaving: true });
      await this.#transport.publish(this.#relaying ? VIEW_SUBJECT : HEARTBEAT_SUBJECT, payload).catch(() => {});
    }
    if (this.#members.delete(this.self)) this.#emit({ joined: [], left: [this.self], changed: [] });
  }

  /** Leaves (if not yet), stops listening and records the stop in PostgreSQL. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    await this.leave();
    this.#stopped = true;
    await this.#viewSubscription?.unsubscribe().catch(() => {});
    await this.#listen(false);
    await this.#recording;
    const db = this.#options.db;
    if (db) await recordInstanceStopped(db, { name: this.self, incarnation: this.incarnation }).catch((error: unknown) => this.#logger.warn({ err: error }, 'could not record the instance stop'));
  }

  async #start(): Promise<void> {
    const db = this.#options.db;
    if (db) await recordInstanceStart(db, { name: this.self, workerApp: this.#options.workerApp, incarnation: this.incarnation });
    this.#lastRecordMs = Date.now();
    this.#viewSubscription = await this.#transport.subscribe(VIEW_SUBJECT, (message) => this.#receiveView(message.payload));
    await this.#publishOwn({ hello: true, full: true });
    this.#timer = setInterval(() => this.#tick(), this.#intervalMs);
    this.#timer.unref();
    const settleMs = this.#options.settleMs ?? Math.min(this.#intervalMs, 300);
    if (settleMs > 0) await new Promise((resolve) => setTimeout(resolve, settleMs).unref());
    // Alone (nobody answered): this process is the relay until a view says otherwise.
    await this.#updateRole();
  }

  #tick(): void {
    if (this.#leaving) return;
    this.#expire();
    void this.#updateRole();
    void this.#publishOwn({});
    if (!this.#relaying) return;
    this.#scheduleExpiry();
    const db = this.#options.db;
    if (db && Date.now() - this.#lastRecordMs >= (this.#options.recordEveryMs ?? 5000)) {
      this.#lastRecordMs = Date.now();
      const instances = [...this.#members.values()].map((report) => ({ name: report.workerName, incarnation: report.incarnation, report }));
      this.#recording = recordInstancesSeen(db, instances).catch((error: unknown) => this.#logger.warn({ err: error }, 'could not record the instances as seen'));
    }
  }

  /** Relays while first in relay order: hears the heartbeats and publishes views; else follows the views. */
  async #updateRole(): Promise<void> {
    if (this.#leaving) return;
    const relaying = this.#first()?.workerName === this.self;
    if (relaying === this.#relaying) return;
    this.#relaying = relaying;
    this.#logger.info({ relaying }, relaying ? 'relaying the cluster view' : 'following the cluster view');
    if (relaying) {
      // The members' ages come from the last view: give each one interval to be heard directly.
      const heardBy = Date.now() - this.#intervalMs * (this.#expireAfter - 1);
      for (const [name, member] of this.#members) if (member.lastSeenMs < heardBy) this.#members.set(name, { ...member, lastSeenMs: heardBy });
      this.#entries.allFull();
      this.#queueView();
    } else {
      this.#lastViewMs = Date.now();
    }
    await this.#listen(relaying);
  }

  async #listen(on: boolean): Promise<void> {
    if (on && !this.#stopped) {
      this.#beats ??= this.#transport.subscribe(HEARTBEAT_SUBJECT, (message) => this.#receiveBeat(message.payload)).catch((error: unknown) => {
        this.#logger.warn({ err: error }, 'could not hear heartbeats');
        return undefined;
      });
      await this.#beats;
    } else if (this.#beats) {
      const beats = this.#beats;
      this.#beats = undefined;
      await (await beats)?.unsubscribe().catch(() => {});
    }
  }

  /** Brings this process's own entry up to date; true when its full report is due. */
  #refreshSelf(forceFull: boolean): boolean {
    const report = this.#options.report();
    const now = Date.now();
    const full = this.#own.due(report, now, forceFull);
    this.#apply({
      workerName: this.self,
      workerApp: this.#options.workerApp,
      incarnation: this.incarnation,
      version: this.#options.version ?? 'unknown',
      startedAtMs: this.startedAtMs,
      lastSeenMs: now,
      intervalMs: this.#intervalMs,
      reportVersion: this.#own.version,
      roles: [...report.roles],
      hostedKinds: [...report.hostedKinds],
      streamWriters: report.streamWriters,
      streamReaders: report.streamReaders,
      actorKinds: report.actorKinds,
    });
    return full;
  }

  /** A follower sends its beat (or full report) to the relay; the relay puts its own in the view. */
  async #publishOwn(flags: { hello?: boolean; full?: boolean }): Promise<void> {
    if (this.#leaving) return;
    const full = this.#refreshSelf(flags.full === true);
    if (this.#relaying) {
      if (flags.full === true) this.#entries.full(this.self);
      this.#queueView();
      return;
    }
    const payload = encodeHeartbeat(this.#members.get(this.self)!, { beat: !full, hello: flags.hello ?? false, wanted: [...this.#wanted] });
    try {
      await this.#transport.publish(HEARTBEAT_SUBJECT, payload);
    } catch (error) {
      // A lost heartbeat costs nothing unless several in a row are lost (the transport is down).
      this.#logger.warn({ err: error }, 'heartbeat not published');
    }
  }

  /** Publishes the view once for everything that asked for one in this tick. */
  #queueView(): void {
    if (this.#viewQueued) return;
    this.#viewQueued = true;
    queueMicrotask(() => void this.#publishView());
  }

  async #publishView(): Promise<void> {
    this.#expire();
    this.#viewQueued = false;
    if (!this.#relaying || this.#leaving) return;
    const members = this.#entries.entries(this.#members.values(), this.self, Date.now());
    const payload = encodeView({ relayIncarnation: this.incarnation, members, wanted: [...this.#wanted] });
    await this.#transport.publish(VIEW_SUBJECT, payload).catch((error: unknown) => this.#logger.warn({ err: error }, 'cluster view not published'));
  }

  /** The relay hears a member's heartbeat. */
  #receiveBeat(payload: Uint8Array): void {
    if (this.#stopped) return;
    let heard: Heard;
    try {
      heard = decodeHeartbeat(payload);
    } catch (error) {
      this.#logger.warn({ err: error }, 'undecodable heartbeat ignored');
      return;
    }
    // Our own echo: this process keeps its own entry (and must not be put back after leaving).
    if (heard.member.incarnation === this.incarnation) return;
    // Whoever lacks a report gets it in the next view (the relay's own is in it too).
    for (const name of heard.wanted) this.#entries.full(name);
    if (heard.wanted.length > 0) this.#queueView();
    if (heard.hello) {
      this.#entries.allFull();
      this.#queueView();
    }
    this.#take(heard, { authoritative: false });
  }

  /** A view from the relay (or, while this process relays too, from another relay). */
  #receiveView(payload: Uint8Array): void {
    if (this.#stopped) return;
    let view: ReturnType<typeof decodeView>;
    try {
      view = decodeView(payload);
    } catch (error) {
      this.#logger.warn({ err: error }, 'undecodable cluster view ignored');
      return;
    }
    if (view.relayIncarnation === this.incarnation) return;
    if (view.wanted.includes(this.self)) this.#answer();
    // A follower takes the view of the relay it knows (or of one before it in relay order) as the
    // whole truth; another one (a newcomer that heard no answer yet) only adds what it heard.
    const sender = view.members.find((heard) => heard.member.incarnation === view.relayIncarnation)?.member;
    const relay = this.#first();
    const authoritative = !this.#relaying && (sender === undefined || relay === undefined || relay.incarnation === sender.incarnation || relayKey(sender) < relayKey(relay));
    if (authoritative) this.#lastViewMs = Date.now();
    const listed = new Set<string>();
    for (const heard of view.members) {
      const { member } = heard;
      listed.add(member.workerName);
      if (member.workerName === this.self) {
        if (member.incarnation !== this.incarnation && !heard.leaving) this.#noteTwins(this.#members.get(this.self), member);
        continue;
      }
      // Merged (not taken whole): keep the later of what this process heard and what the view says.
      const known = this.#members.get(member.workerName);
      const later = !authoritative && known?.incarnation === member.incarnation && known.lastSeenMs > member.lastSeenMs;
      this.#take(later ? { ...heard, member: { ...member, lastSeenMs: known.lastSeenMs } } : heard, { authoritative });
    }
    // A follower's view is the relay's: whoever it no longer names has gone.
    if (authoritative) {
      const left = [...this.#members.keys()].filter((name) => name !== this.self && !listed.has(name));
      for (const name of left) this.#members.delete(name);
      if (left.length > 0) this.#emit({ joined: [], left, changed: [] });
    }
    void this.#updateRole();
  }

  /** Takes one heard heartbeat into the view. */
  #take(heard: Heard, options: { authoritative: boolean }): void {
    const { member, beat } = heard;
    if (!validName(member.workerName) || member.workerName === this.self) return;
    const known = this.#members.get(member.workerName);
    if (heard.leaving) {
      // Only the incarnation we know may take the name out (a twin leaving must not drop the other).
      if (known && known.incarnation === member.incarnation) {
        this.#members.delete(member.workerName);
        this.#emit({ joined: [], left: [member.workerName], changed: [] });
      }
      return;
    }
    // What the relay no longer counts live is not brought back by an older view.
    if (!options.authoritative && this.#expired(member, Date.now())) return;
    const next = beat ? this.#fromBeat(member, known) : member;
    if (known && known.incarnation !== next.incarnation) this.#noteTwins(known, next);
    this.#apply(next);
    if (beat && next.reportVersion !== member.reportVersion) this.#ask(member.workerName);
    // The report the relay asked for goes to the others at once.
    else if (!beat && this.#wanted.delete(member.workerName) && this.#relaying) this.#queueView();
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

  /** Names `workerName` in a beat or view sent at once (several asks in one tick share one). */
  #ask(workerName: string): void {
    this.#wanted.add(workerName);
    if (this.#askQueued) return;
    this.#askQueued = true;
    queueMicrotask(() => {
      this.#askQueued = false;
      if (!this.#leaving && this.#wanted.size > 0) void this.#publishOwn({});
    });
  }

  /**
   * Sends the full report to whoever asked, once, even if several ask together; the relay asks in
   * every view until it has the report, so views sent before the answer arrived ask again:
   * answered at most once an interval.
   */
  #answer(): void {
    if (this.#answerQueued || Date.now() - this.#answeredAt < this.#intervalMs) return;
    this.#answerQueued = true;
    queueMicrotask(() => {
      this.#answerQueued = false;
      this.#answeredAt = Date.now();
      void this.#publishOwn({ full: true });
    });
  }

  #apply(member: ClusterMember): void {
    const known = this.#members.get(member.workerName);
    this.#members.set(member.workerName, member);
    if (!known) this.#emit({ joined: [member.workerName], left: [], changed: [] });
    else if (known.hostedKinds.join(' ') !== member.hostedKinds.join(' ')) this.#emit({ joined: [], left: [], changed: [member.workerName] });
  }

  #noteTwins(known: ClusterMember | undefined, other: ClusterMember): void {
    if (!known) return;
    const pair = [known.incarnation, other.incarnation].sort().join(' ');
    if (this.#warnedTwins.has(pair)) return;
    this.#warnedTwins.add(pair);
    this.#logger.error(
      { worker_name: other.workerName, incarnations: [known.incarnation, other.incarnation], self: other.workerName === this.self },
      'two processes announce the same worker_name',
    );
  }

  /** The member first in relay order. */
  #first(): ClusterMember | undefined {
    let first: ClusterMember | undefined;
    for (const member of this.#members.values()) if (first === undefined || relayKey(member) < relayKey(first)) first = member;
    return first;
  }

  #expired(member: Pick<ClusterMember, 'lastSeenMs' | 'intervalMs'>, now: number): boolean {
    return now - member.lastSeenMs > member.intervalMs * this.#expireAfter;
  }

  /**
   * The relay drops members not heard from within their expiry. A follower drops only the relay,
   * when its views stopped for as long (the others stay: the next relay's view will say).
   */
  #expire(): void {
    if (this.#leaving) return;
    const now = Date.now();
    if (!this.#relaying) {
      const relay = this.#first();
      if (relay === undefined || relay.workerName === this.self || now - this.#lastViewMs <= relay.intervalMs * this.#expireAfter) return;
      this.#lastViewMs = now;
      this.#members.delete(relay.workerName);
      this.#emit({ joined: [], left: [relay.workerName], changed: [] });
      void this.#updateRole();
      return;
    }
    const left: string[] = [];
    for (const [name, member] of this.#members) {
      if (name !== this.self && this.#expired(member, now)) {
        this.#members.delete(name);
        left.push(name);
      }
    }
    if (left.length > 0) this.#emit({ joined: [], left, changed: [] });
  }

  /** The relay drops a silent member when its expiry is due, not at the next tick after. */
  #scheduleExpiry(): void {
    clearTimeout(this.#expiryTimer);
    const now = Date.now();
    let due = Infinity;
    for (const member of this.#members.values()) {
      if (member.workerName !== this.self) due = Math.min(due, member.lastSeenMs + member.intervalMs * this.#expireAfter + 1);
    }
    if (due - now >= this.#intervalMs) return;
    this.#expiryTimer = setTimeout(() => this.#expire(), Math.max(0, due - now));
    this.#expiryTimer.unref();
  }

  #emit(change: ClusterChange): void {
    for (const name of change.left) this.#wanted.delete(name);
    if (change.left.length > 0) this.#logger.info({ left: change.left }, 'cluster members left');
    if (change.joined.length > 0) this.#logger.info({ joined: change.joined }, 'cluster members joined');
    // The relay tells the others at once, not at the next tick.
    if (this.#relaying) this.#queueView();
    for (const listener of this.#listeners) {
      try {
        listener(change);
      } catch (error) {
        this.#logger.error({ err: error }, 'cluster change listener threw');
      }
    }
  }
}
