// Defining an actor kind in the gen_server manner: `create(key, context)` builds the actor's
// state and returns an object whose methods are its protocol; each method takes one message
// and returns the reply (or a promise of it). The actor system calls the methods one at a time
// per key. Callers use a typed client (ActorClient) and never build envelopes. A protocol
// module usually exports the definition and a few named functions over the client:
//
//   export const roomPersister = defineActor('room-persister', { create: (room, ctx) => new Persister(room, ctx) });
//   export const persistEvent = (actors: ActorSystem, room: string, event: PduJson, options?: AskOptions) =>
//     actors.client(roomPersister).ask(room, 'persist', event, options);
//
// Failure convention: a method returns domain failures as reply values (e.g.
// `{ ok: false, reason: 'auth_rejected' }`). A throw means a bug: the call fails with
// ActorCrashedError and the actor is re-created from `create` on its next message.
import type { ActorLogger } from './actor-logger.ts';
import { assertToken } from './address.ts';
import { jsonCodec, type MessageCodec } from './codec.ts';
import { DEFAULT_MAILBOX_CAPACITY } from './mailbox.ts';

/** A stream position a writer reached; callers wait for their view to reach it (read-your-writes). */
export interface StreamPosition {
  readonly stream: string;
  readonly writer: string;
  readonly position: number;
}

/** What the actor gets at creation. */
export interface ActorContext {
  readonly kind: string;
  readonly key: string;
  /** Name of the instance hosting the actor. */
  readonly instance: string;
  readonly logger: ActorLogger;
}

/** What each call gets besides its message, so handlers can pass the deadline on. */
export interface CallContext {
  readonly method: string;
  /** Absolute deadline (ms since the epoch) of the call; 0 = none. Pass it to nested asks. */
  readonly deadlineMs: number;
  readonly traceId: string;
}

const REPLY: unique symbol = Symbol('actor reply');

/** A reply value together with the stream positions the write reached. */
export interface Replied<T> {
  readonly [REPLY]: true;
  readonly value: T;
  readonly positions: readonly StreamPosition[];
}

/** Returns `value` from a handler together with the stream positions the write produced. */
export function reply<T>(value: T, positions: readonly StreamPosition[]): Replied<T> {
  return { [REPLY]: true, value, positions };
}

export function isReplied(result: unknown): result is Replied<unknown> {
  return typeof result === 'object' && result !== null && (result as { [REPLY]?: true })[REPLY] === true;
}

const LATER: unique symbol = Symbol('actor reply later');

/** A reply the handler will give later: the mailbox moves on, the caller waits for `settled`. */
export interface Later<T> {
  readonly [LATER]: true;
  readonly settled: Promise<T | Replied<T>>;
}

/**
 * Returns from a handler without replying yet: the mailbox takes its next message at once and
 * the caller is answered when `settled` resolves (a value or a `reply(...)` with positions).
 * For work that waits on something slow but no longer needs the actor's turn, e.g. a group
 * commit's transaction: the actor keeps accepting messages while it runs. A rejection is a
 * crash: the caller gets ActorCrashedError and the actor is re-created on its next message.
 */
export function replyLater<T>(settled: Promise<T | Replied<T>>): Later<T> {
  // The cell attaches its handlers on return; until then a rejection must not count as unhandled.
  settled.catch(() => {});
  return { [LATER]: true, settled };
}

export function isLater(result: unknown): result is Later<unknown> {
  return typeof result === 'object' && result !== null && (result as { [LATER]?: true })[LATER] === true;
}

/** What an ask resolves to. */
export interface AskReply<T> {
  readonly value: T;
  /** Positions the caller must wait for before answering its client; empty for reads. */
  readonly positions: readonly StreamPosition[];
}

// `any` here is the usual escape hatch for "any function"; the typed client narrows it again.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFunction = (...args: any[]) => unknown;

/** Names of the handler object's methods. */
export type MethodName<H> = { [M in keyof H]: H[M] extends AnyFunction ? M : never }[keyof H] & string;
/** The message type a method takes. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type MessageOf<F> = F extends (message: infer P, ...rest: any[]) => unknown ? P : never;
/** The reply type a method produces (promise and positions wrapper removed). */
export type ResultOf<F> = F extends AnyFunction ? UnwrapReply<Awaited<ReturnType<F>>> : never;
type UnwrapReply<R> = R extends Later<infer L> ? UnwrapReplied<L> : UnwrapReplied<R>;
type UnwrapReplied<R> = R extends Replied<infer V> ? V : R;

export interface ActorSpec<H extends object> {
  /** Builds a fresh actor for `key`: at first use, and again after a crash or passivation. */
  create(key: string, context: ActorContext): H | Promise<H>;
  /** Turns messages and replies into bytes for remote calls. Default: jsonCodec. */
  readonly codec?: MessageCodec;
  /** Most unfinished messages per actor before asks are refused. Default: 1000. */
  readonly mailboxCapacity?: number;
  /** Drop an actor idle this long (it is re-created on demand); 0 = keep forever. Default: 0. */
  readonly passivateAfterMs?: number;
  /**
   * Runs when a live actor ends normally, after every message queued before has run and every
   * deferred reply (replyLater) has settled: placement moved its key to another instance
   * (ActorSystem.rebalance / release), it was passivated, or the system stops. Give up what the
   * actor holds (a room's ownership, a lease) so the next owner can take over at once. Not run
   * after a crash. The actor is dropped afterwards. Default: nothing to give up.
   */
  release?(actor: H, key: string): void | Promise<void>;
}

export interface ActorDefinition<H extends object> {
  readonly kind: string;
  readonly create: (key: string, context: ActorContext) => H | Promise<H>;
  readonly codec: MessageCodec;
  readonly mailboxCapacity: number;
  readonly passivateAfterMs: number;
  /** See ActorSpec.release (a method, so definitions of any actor type widen to ActorDefinition<object>). */
  release?(actor: H, key: string): void | Promise<void>;
}

export function defineActor<H extends object>(kind: string, spec: ActorSpec<H>): ActorDefinition<H> {
  assertToken('actor kind', kind);
  return {
    kind,
    create: spec.create,
    codec: spec.codec ?? jsonCodec,
    mailboxCapacity: spec.mailboxCapacity ?? DEFAULT_MAILBOX_CAPACITY,
    passivateAfterMs: spec.passivateAfterMs ?? 0,
    ...(spec.release ? { release: spec.release.bind(spec) } : {}),
  };
}
