// One live actor: its mailbox and its current handler object, plus supervision. A throwing
// handler fails only its own call; the handler object is dropped and rebuilt from `create` on
// the next message, so state resets, while queued messages keep flowing.
import type { ActorLogger } from './actor-logger.ts';
import type { ActorContext, ActorDefinition, AskReply, CallContext } from './define-actor.ts';
import { isLater, isReplied } from './define-actor.ts';
import { ActorCrashedError, AskTimeoutError, MailboxOverloadError, UnknownMethodError } from './errors.ts';
import { Mailbox } from './mailbox.ts';

const NO_POSITIONS: readonly never[] = Object.freeze([]);

type Handlers = Record<string, unknown>;

export class ActorCell {
  readonly mailbox: Mailbox;
  /** Last time a message finished, for passivation (ms since the epoch). */
  lastActiveMs = Date.now();
  /** Times the handler object was (re)built; for tests and metrics. */
  generation = 0;
  #definition: ActorDefinition<object>;
  #context: ActorContext;
  #logger: ActorLogger;
  #handlers: Handlers | undefined;
  #beforeFirstCreate: (() => Promise<void>) | undefined;
  /** Deferred replies not yet settled: the actor is busy even with an empty mailbox. */
  #later = new Set<Promise<unknown>>();

  /** `beforeFirstCreate` runs (in the mailbox) before the first create: e.g. the handoff from a previous owner. */
  constructor(definition: ActorDefinition<object>, context: ActorContext, beforeFirstCreate?: () => Promise<void>) {
    this.#definition = definition;
    this.#context = context;
    this.#beforeFirstCreate = beforeFirstCreate;
    this.#logger = context.logger;
    this.mailbox = new Mailbox({ capacity: definition.mailboxCapacity, name: `actor ${context.kind}/${JSON.stringify(context.key)}` });
  }

  /** Queues one call; settles with the reply or a named ActorError. Throws MailboxOverloadError at once when full. */
  call(method: string, message: unknown, call: CallContext): Promise<AskReply<unknown>> {
    // A deferred reply leaves the mailbox as a wrapped promise (so the mailbox does not wait
    // for it) and is unwrapped here, outside the actor's turn.
    return this.mailbox.post(() => this.#handle(method, message, call)).then((handled) => ('later' in handled ? handled.later : handled.now));
  }

  /**
   * Runs after every message queued so far and every deferred reply open by then: hands the
   * live handler object (if any) to `release` and forgets it. The caller drops the cell
   * afterwards (a message that arrives meanwhile re-creates the actor in a kept cell).
   */
  async release(release: ((actor: object, key: string) => void | Promise<void>) | undefined): Promise<void> {
    const run = async () => {
      await Promise.all([...this.#later]);
      const handlers = this.#handlers;
      this.#handlers = undefined;
      if (handlers && release) await release(handlers, this.#context.key);
    };
    try {
      await this.mailbox.post(run);
    } catch (error) {
      // A full mailbox refuses the post: let it drain, then release.
      if (!(error instanceof MailboxOverloadError)) throw error;
      await this.mailbox.idle();
      await run();
    }
  }

  async #handle(method: string, message: unknown, call: CallContext): Promise<{ now: AskReply<unknown> } | { later: Promise<AskReply<unknown>> }> {
    const { kind, key } = this.#context;
    // The caller has given up: running the message now would do work nobody waits for, and
    // would reorder it after messages the caller sent since.
    if (call.deadlineMs !== 0 && Date.now() >= call.deadlineMs) {
      throw new AskTimeoutError(kind, key, method, 'expired while queued; it was not executed');
    }
    try {
      const handlers = this.#handlers ?? (await this.#create(method));
      const fn = handlers[method];
      if (typeof fn !== 'function' || method in Object.prototype) throw new UnknownMethodError(kind, key, method);
      let result: unknown = fn.call(handlers, message, call);
      if (result instanceof Promise) result = await result;
      if (isLater(result)) {
        const later = result.settled.then(toAskReply, (error: unknown) => {
          throw this.#crashed(error, handlers, method, call);
        });
        const tracked: Promise<unknown> = later.then(
          () => this.#later.delete(tracked),
          () => this.#later.delete(tracked),
        );
        this.#later.add(tracked);
        return { later };
      }
      return { now: toAskReply(result) };
    } catch (error) {
      if (error instanceof UnknownMethodError || error instanceof ActorCrashedError) throw error;
      throw this.#crashed(error, this.#handlers, method, call);
    } finally {
      this.lastActiveMs = Date.now();
    }
  }

  /** Whether messages are queued or deferred replies are outstanding (not safe to drop). */
  get busy(): boolean {
    return this.mailbox.depth > 0 || this.#later.size > 0;
  }

  /** Drops the handler object (if it is still the current one) and names the crash. */
  #crashed(error: unknown, handlers: Handlers | undefined, method: string, call: CallContext): ActorCrashedError {
    const { kind, key } = this.#context;
    if (this.#handlers === handlers) this.#handlers = undefined;
    this.#logger.error({ err: error, actor: `${kind}/${key}`, method, traceId: call.traceId }, 'actor crashed; it will be re-created on its next message');
    return new ActorCrashedError(kind, key, method, describe(error), { cause: error });
  }

  async #create(method: string): Promise<Handlers> {
    const { kind, key } = this.#context;
    const before = this.#beforeFirstCreate;
    if (before) {
      this.#beforeFirstCreate = undefined;
      try {
        await before();
      } catch (error) {
        // The handoff is best effort (the previous owner may be gone): log and build anyway.
        this.#logger.warn({ err: error, actor: `${kind}/${key}` }, 'handoff from the previous owner failed; creating the actor anyway');
      }
    }
    try {
      const handlers = (await this.#definition.create(key, this.#context)) as Handlers;
      this.#handlers = handlers;
      this.generation++;
      return handlers;
    } catch (error) {
      this.#logger.error({ err: error, actor: `${kind}/${key}` }, 'actor create() threw');
      throw new ActorCrashedError(kind, key, method, `create() threw ${describe(error)}`, { cause: error });
    }
  }
}

function toAskReply(result: unknown): AskReply<unknown> {
  return isReplied(result) ? { value: result.value, positions: result.positions } : { value: result, positions: NO_POSITIONS };
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
