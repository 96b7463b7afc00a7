// The actor system of one process: hosts the actor kinds registered with host(), activates an
// actor per key on its first message, and routes every call by placement. A call to a locally
// placed actor goes straight into its mailbox (no encoding, no transport); a call to a remote one
// travels as an ActorRequest over the transport to subject `actor.<instance>`. Local calls hand
// the message object over as it is, so senders and actors treat messages as immutable.
import type { Transport } from '@homeserver/transport';
import { DEFAULT_TIMEOUT_MS, NoRespondersError, RequestTimeoutError, TransportClosedError, TransportError } from '@homeserver/transport';
import { ActorCell } from './actor-cell.ts';
import { silentActorLogger, type ActorLogger } from './actor-logger.ts';
import { assertToken, type ActorAddress } from './address.ts';
import { jsonCodec, type MessageCodec } from './codec.ts';
import type { ActorDefinition, AskReply, CallContext, MessageOf, MethodName, ResultOf } from './define-actor.ts';
import { decodeReply, encodeRequest } from './envelope.ts';
import { ActorError, ActorSystemStoppedError, ActorUnreachableError, AskTimeoutError, NotHostedError } from './errors.ts';
import { monolithPlacement, type Placement } from './placement.ts';
import { ActorServer } from './actor-server.ts';
import { DEFAULT_UNREACHABLE_AFTER_MS, probeIntervalMs, whileAlive } from './liveness-probe.ts';

export interface ActorSystemOptions {
  /** This process's instance name, as placement knows it (a subject token). */
  readonly instance: string;
  /** Where each actor lives. Default: monolithPlacement(instance), everything local. */
  readonly placement?: Placement;
  /** Carries calls to remote instances and serves this one. Default: none (only local calls work). */
  readonly transport?: Transport;
  /** Default: silent. */
  readonly logger?: ActorLogger;
  /** First token of the per-instance request subject. Default: 'actor'. */
  readonly subjectPrefix?: string;
  /**
   * Bound on telling a dead or hung instance from a busy one: while a remote ask waits, the
   * hosting instance is probed (see probeIntervalMs), and a probe left unanswered fails the ask
   * with ActorUnreachableError, so a hung instance is noticed within this. 0 turns probing off.
   * Default: 2000 ms.
   */
  readonly unreachableAfterMs?: number;
  /**
   * Runs before an actor is first created here: asks whoever held the key before (per the
   * live view) to finish its queued work and release it, so a moved key never has two live
   * owners. Default: none (the monolith, static placement).
   */
  readonly handoff?: (address: ActorAddress) => Promise<void>;
}

/** The subject an instance answers release requests on (a new owner asking it to give a key up). */
export function releaseSubject(instance: string, prefix = 'actor'): string {
  return `${prefix}-release.${instance}`;
}

export interface AskOptions {
  /** Give up after this long with AskTimeoutError. Default: 5000 ms. */
  readonly timeoutMs?: number;
  /** An absolute deadline (ms since the epoch) inherited from an outer call; the earlier wins. Default: none. */
  readonly deadlineMs?: number;
  /** Carried to the handler and logs. Default: `within`'s trace id, else ''. */
  readonly traceId?: string;
  /**
   * The call being handled when an actor asks another: its deadline and trace id carry over, so
   * a chain of asks never outlives the client request that started it. Default: none.
   */
  readonly within?: CallContext;
}

/** Per hosted kind, for the `/metrics` endpoint. */
export interface ActorKindMetrics {
  readonly kind: string;
  /** Live actors of this kind on this instance. */
  readonly actors: number;
  /** Unfinished messages over all of them. */
  readonly queued: number;
  /** The deepest single mailbox. */
  readonly maxDepth: number;
}

/** Typed calls to one actor kind; obtained from ActorSystem.client(). */
export interface ActorClient<H extends object> {
  readonly kind: string;
  ask<M extends MethodName<H>>(key: string, method: M, message: MessageOf<H[M]>, options?: AskOptions): Promise<AskReply<ResultOf<H[M]>>>;
  /**
   * Fire and forget: resolves once the hosting mailbox accepted the message; the outcome is only
   * logged. Like an ask, the message expires unexecuted if still queued after `timeoutMs`.
   */
  tell<M extends MethodName<H>>(key: string, method: M, message: MessageOf<H[M]>, options?: AskOptions): Promise<void>;
}

interface Hosted {
  readonly definition: ActorDefinition<object>;
  readonly cells: Map<string, ActorCell>;
}

export class ActorSystem {
  readonly instance: string;
  #placement: Placement;
  #transport: Transport | undefined;
  #logger: ActorLogger;
  #subjectPrefix: string;
  #hosted = new Map<string, Hosted>();
  #codecs = new Map<string, MessageCodec>();
  #server: ActorServer | undefined;
  #releaseServer: { unsubscribe(): Promise<void> } | undefined;
  #handoff: ((address: ActorAddress) => Promise<void>) | undefined;
  #sweeper: ReturnType<typeof setInterval> | undefined;
  #stopped = false;
  #releasing = new Set<string>();
  #unreachableAfterMs: number;
  /** False while the transport is disconnected: remote calls then fail at once instead of waiting out their timeout. */
  #transportUp = true;

  constructor(options: ActorSystemOptions) {
    assertToken('instance name', options.instance);
    this.instance = options.instance;
    this.#placement = options.placement ?? monolithPlacement(options.instance);
    this.#transport = options.transport;
    this.#logger = options.logger ?? silentActorLogger;
    this.#subjectPrefix = options.subjectPrefix ?? 'actor';
    this.#unreachableAfterMs = options.unreachableAfterMs ?? DEFAULT_UNREACHABLE_AFTER_MS;
    this.#transport?.on('disconnected', () => (this.#transportUp = false));
    this.#transport?.on('reconnected', () => (this.#transportUp = true));
  }

  /** Lets this instance host actors of these kinds (the keys placement assigns to it). */
  host(...definitions: ActorDefinition<object>[]): this {
    for (const definition of definitions) {
      if (this.#hosted.has(definition.kind)) throw new Error(`cannot host actor kind ${JSON.stringify(definition.kind)} twice on instance ${JSON.stringify(this.instance)}`);
      this.#hosted.set(definition.kind, { definition, cells: new Map() });
      this.#codecs.set(definition.kind, definition.codec);
      if (definition.passivateAfterMs > 0) this.#schedulePassivation(definition.passivateAfterMs);
    }
    return this;
  }

  /** A typed client for one kind; works whether the kind is hosted here or elsewhere. */
  client<H extends object>(definition: ActorDefinition<H>): ActorClient<H> {
    if (!this.#codecs.has(definition.kind)) this.#codecs.set(definition.kind, definition.codec);
    const kind = definition.kind;
    return {
      kind,
      ask: (key, method, message, options) => this.ask({ kind, key }, method, message, options) as never,
      tell: (key, method, message, options) => this.tell({ kind, key }, method, message, options),
    };
  }

  /** Starts serving remote calls to this instance (a no-op without a transport). */
  async start(): Promise<void> {
    if (this.#stopped) throw new ActorSystemStoppedError(this.instance, 'start');
    if (!this.#transport || this.#server) return;
    this.#server = new ActorServer({
      instance: this.instance,
      placement: this.#placement,
      logger: this.#logger,
      local: (address, method, message, call) => this.#callLocal(address, method, message, call),
      codecOf: (kind) => this.#hosted.get(kind)?.definition.codec,
    });
    await this.#server.serve(this.#transport, this.#subjectFor(this.instance));
    // A new owner of a key asks here before it creates the actor: finish, release, answer.
    this.#releaseServer = await this.#transport.serve(releaseSubject(this.instance, this.#subjectPrefix), async (bytes) => {
      try {
        const { kind, key } = JSON.parse(new TextDecoder().decode(bytes)) as ActorAddress;
        await this.release({ kind, key });
      } catch (error) {
        this.#logger.warn({ err: error }, 'release request failed');
      }
      return new Uint8Array(0);
    });
  }

  /** Drains and releases one live actor now (what a new owner's handoff asks for); a no-op if it is not live. */
  async release(address: ActorAddress): Promise<void> {
    const hosted = this.#hosted.get(address.kind);
    const cell = hosted?.cells.get(address.key);
    if (!hosted || !cell) return;
    const definition = hosted.definition;
    await cell.release(definition.release ? (actor, actorKey) => definition.release!(actor, actorKey) : undefined);
    if (hosted.cells.get(address.key) === cell && !cell.busy) hosted.cells.delete(address.key);
  }

  /**
   * Stops accepting calls, stops serving, waits for every mailbox to drain and releases every
   * live actor (its release hook runs), so whoever takes its keys over starts from what it left.
   */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    if (this.#sweeper) clearInterval(this.#sweeper);
    await this.#server?.close();
    await this.#releaseServer?.unsubscribe().catch(() => {});
    const released: Promise<void>[] = [];
    for (const [kind, hosted] of this.#hosted) {
      for (const key of hosted.cells.keys()) {
        released.push(this.release({ kind, key }).catch((error: unknown) => this.#logger.error({ err: error, actor: `${kind}/${key}` }, 'actor release failed at stop')));
      }
    }
    await Promise.all(released);
  }

  /** Keys of `kind` with a live actor on this instance. */
  liveKeys(kind: string): string[] {
    return [...(this.#hosted.get(kind)?.cells.keys() ?? [])];
  }

  /** Calls `method` of the actor at `address` and waits for its reply. Prefer a typed client. */
  async ask(address: ActorAddress, method: string, message: unknown, options: AskOptions = {}): Promise<AskReply<unknown>> {
    return this.#send(address, method, message, options, false);
  }

  /** Sends without waiting for the outcome; resolves once the message is accepted (see ActorClient.tell). */
  async tell(address: ActorAddress, method: string, message: unknown, options: AskOptions = {}): Promise<void> {
    await this.#send(address, method, message, options, true);
  }

  /** The instance placement puts the actor (kind, key) on now (the admin topology page asks it). */
  instanceFor(kind: string, key: string): string {
    return this.#placement.instanceFor(kind, key);
  }

  /** The actor kinds this instance hosts (announced in its heartbeat). */
  hostedKinds(): string[] {
    return [...this.#hosted.keys()];
  }

  /**
   * Releases the live actors whose key placement now puts on another instance: each finishes
   * what is queued in its mailbox, runs its definition's release hook, and is dropped. Call it
   * after the placement changed (a member joined or left). Resolves once all are released.
   */
  async rebalance(): Promise<{ released: number }> {
    const work: Promise<void>[] = [];
    for (const { definition, cells } of this.#hosted.values()) {
      for (const [key, cell] of cells) {
        const id = `${definition.kind}\0${key}`;
        if (this.#releasing.has(id)) continue;
        let owner: string;
        try {
          owner = this.#placement.instanceFor(definition.kind, key);
        } catch {
          continue;
        }
        if (owner === this.instance) continue;
        this.#releasing.add(id);
        work.push(
          this.release({ kind: definition.kind, key })
            .catch((error: unknown) => this.#logger.error({ err: error, actor: `${definition.kind}/${key}` }, 'actor release failed; dropping it anyway'))
            .finally(() => {
              // A call that arrived meanwhile (the key came back here) re-created the actor: keep it.
              if (cells.get(key) === cell && !cell.busy) cells.delete(key);
              this.#releasing.delete(id);
            }),
        );
        this.#logger.info({ actor: `${definition.kind}/${key}`, owner }, 'placement moved the actor away; draining and releasing it');
      }
    }
    await Promise.all(work);
    return { released: work.length };
  }

  metrics(): ActorKindMetrics[] {
    return [...this.#hosted.values()].map(({ definition, cells }) => {
      let queued = 0;
      let maxDepth = 0;
      for (const cell of cells.values()) {
        const depth = cell.mailbox.depth;
        queued += depth;
        if (depth > maxDepth) maxDepth = depth;
      }
      return { kind: definition.kind, actors: cells.size, queued, maxDepth };
    });
  }

  async #send(address: ActorAddress, method: string, message: unknown, options: AskOptions, oneWay: boolean): Promise<AskReply<unknown>> {
    const operation = oneWay ? 'tell' : 'ask';
    if (this.#stopped) throw new ActorSystemStoppedError(this.instance, `${operation} ${address.kind}/${address.key}`);
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const now = Date.now();
    const inherited = options.within?.deadlineMs || Infinity;
    const deadlineMs = Math.min(now + timeoutMs, options.deadlineMs ?? Infinity, inherited);
    const remainingMs = deadlineMs - now;
    const call: CallContext = { method, deadlineMs, traceId: options.traceId ?? options.within?.traceId ?? '' };
    if (remainingMs <= 0) throw new AskTimeoutError(address.kind, address.key, method, 'was past its deadline before it was sent');
    const instance = this.#placement.instanceFor(address.kind, address.key);
    if (instance !== this.instance) return this.#sendRemote(instance, address, message, call, { remainingMs, oneWay });

    const pending = this.#callLocal(address, method, message, call);
    if (oneWay) {
      pending.catch((error: unknown) => this.#logger.warn({ err: error, actor: `${address.kind}/${address.key}`, method }, 'told message failed'));
      return { value: undefined, positions: [] };
    }
    return withTimeout(pending, remainingMs, () => new AskTimeoutError(address.kind, address.key, method, `got no reply within ${remainingMs} ms`));
  }

  /**
   * Posts straight into the local mailbox; used for local callers and by the server for remote
   * ones. Refusals (not hosted, mailbox full) throw synchronously, before anything is queued.
   */
  #callLocal(address: ActorAddress, method: string, message: unknown, call: CallContext): Promise<AskReply<unknown>> {
    const hosted = this.#hosted.get(address.kind);
    if (!hosted) throw new NotHostedError(address.kind, address.key, this.instance, 'the kind is not hosted here');
    let cell = hosted.cells.get(address.key);
    if (!cell) {
      const handoff = this.#handoff;
      cell = new ActorCell(hosted.definition, { kind: address.kind, key: address.key, instance: this.instance, logger: this.#logger }, handoff && (() => handoff(address)));
      hosted.cells.set(address.key, cell);
    }
    return cell.call(method, message, call);
  }

  async #sendRemote(
    instance: string,
    address: ActorAddress,
    message: unknown,
    call: CallContext,
    how: { remainingMs: number; oneWay: boolean },
  ): Promise<AskReply<unknown>> {
    const { kind, key } = address;
    if (!this.#transport) throw new ActorUnreachableError(kind, key, instance, 'this instance has no transport configured');
    if (!this.#transportUp) throw new ActorUnreachableError(kind, key, instance, 'the transport is disconnected');
    const codec = this.#codecs.get(kind) ?? jsonCodec;
    const request = encodeRequest({ kind, key, method: call.method, payload: codec.encode(message), traceId: call.traceId, deadlineMs: call.deadlineMs, oneWay: how.oneWay });
    let bytes: Uint8Array;
    try {
      const subject = this.#subjectFor(instance);
      const pending = this.#transport.request(subject, request, { timeoutMs: how.remainingMs });
      bytes = this.#unreachableAfterMs > 0 && how.remainingMs > this.#unreachableAfterMs
        ? await whileAlive(pending, { transport: this.#transport, subject, everyMs: probeIntervalMs(this.#unreachableAfterMs), unreachable: (detail) => new ActorUnreachableError(kind, key, instance, detail) })
        : await pending;
    } catch (error) {
      if (error instanceof ActorUnreachableError) throw error;
      if (error instanceof RequestTimeoutError) throw new AskTimeoutError(kind, key, call.method, `got no reply from instance ${JSON.stringify(instance)} within ${how.remainingMs} ms`);
      if (error instanceof NoRespondersError || error instanceof TransportClosedError) {
        throw new ActorUnreachableError(kind, key, instance, error.message, { cause: error });
      }
      // Payload too large, a reply the responder could not send: the call failed in transit.
      if (error instanceof TransportError) throw new ActorError('transport_failed', `ask ${JSON.stringify(call.method)} to actor ${kind}/${JSON.stringify(key)} on instance ${JSON.stringify(instance)} failed in transit: ${error.message}`, { cause: error });
      throw error;
    }
    const reply = decodeReply(bytes);
    return { value: codec.decode(reply.value), positions: reply.positions };
  }

  #subjectFor(instance: string): string {
    return `${this.#subjectPrefix}.${instance}`;
  }

  /** Runs the definition's release hook on the cell's actor once it has drained; failures are logged. */
  #release(definition: ActorDefinition<object>, key: string, cell: ActorCell): Promise<void> {
    return cell
      .release(definition.release ? (actor, actorKey) => definition.release!(actor, actorKey) : undefined)
      .catch((error: unknown) => this.#logger.error({ err: error, actor: `${definition.kind}/${key}` }, 'actor release failed; dropping it anyway'));
  }

  #schedulePassivation(afterMs: number): void {
    if (this.#sweeper) clearInterval(this.#sweeper);
    const periods = [...this.#hosted.values()].map((h) => h.definition.passivateAfterMs).filter((ms) => ms > 0);
    const everyMs = Math.max(10, Math.min(afterMs, ...periods) / 2);
    this.#sweeper = setInterval(() => this.#passivateIdle(), everyMs);
    // Passivation is housekeeping; it must not keep the process alive.
    this.#sweeper.unref();
  }

  #passivateIdle(): void {
    const now = Date.now();
    for (const { definition, cells } of this.#hosted.values()) {
      if (definition.passivateAfterMs <= 0) continue;
      for (const [key, cell] of cells) {
        if (!cell.busy && now - cell.lastActiveMs >= definition.passivateAfterMs) {
          cells.delete(key);
          void this.#release(definition, key, cell);
        }
      }
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, timeoutError: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(timeoutError()), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
