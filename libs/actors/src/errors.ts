// Named failures of actor calls. Callers branch on the class (or on `code`), never on message
// text. Each class has a wire code so a remote failure is rebuilt as the same class.
//
// Convention: these errors are for infrastructure trouble and bugs. Domain failures ("event
// rejected by auth rules", "user not found") are ordinary reply values of the actor protocol,
// returned by the handler, never thrown.

/** Formats an address the same way everywhere in messages: `kind/key`. */
function at(kind: string, key: string): string {
  return `${kind}/${JSON.stringify(key)}`;
}

export class ActorError extends Error {
  override name = 'ActorError';
  /** Wire code (ActorFailure.code). */
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** The handler threw (or create() threw): the call failed and the actor was discarded. */
export class ActorCrashedError extends ActorError {
  override name = 'ActorCrashedError';
  static readonly code = 'actor_crashed';
  constructor(kind: string, key: string, method: string, detail: string, options?: { cause?: unknown }) {
    super(ActorCrashedError.code, `actor ${at(kind, key)} crashed handling ${JSON.stringify(method)}: ${detail}`, options);
  }
}

/** No reply within the ask's deadline; the message is skipped if it had not started yet. */
export class AskTimeoutError extends ActorError {
  override name = 'AskTimeoutError';
  static readonly code = 'timeout';
  /** Temporary: the HTTP edge answers 503 with Retry-After. */
  get temporarilyUnavailable(): true {
    return true;
  }
  constructor(kind: string, key: string, method: string, detail: string) {
    super(AskTimeoutError.code, `ask ${JSON.stringify(method)} to actor ${at(kind, key)} ${detail}`);
  }
}

/** The actor's handler object has no such method. */
export class UnknownMethodError extends ActorError {
  override name = 'UnknownMethodError';
  static readonly code = 'unknown_method';
  constructor(kind: string, key: string, method: string) {
    super(UnknownMethodError.code, `actor ${at(kind, key)} has no method ${JSON.stringify(method)}`);
  }
}

/** The instance that received the call does not host that actor (kind unknown here, or placement disagrees). */
export class NotHostedError extends ActorError {
  override name = 'NotHostedError';
  static readonly code = 'not_hosted';
  /**
   * Temporary: the HTTP edge answers 503 with Retry-After. Placement views of two processes
   * differ until a dead member's heartbeats expire (or a joiner's first one arrives); the retry
   * lands once they agree.
   */
  get temporarilyUnavailable(): true {
    return true;
  }
  constructor(kind: string, key: string, instance: string, reason: string) {
    super(NotHostedError.code, `instance ${JSON.stringify(instance)} does not host actor ${at(kind, key)}: ${reason}`);
  }
}

/** The actor's mailbox is full; the caller should back off. */
export class MailboxOverloadError extends ActorError {
  override name = 'MailboxOverloadError';
  static readonly code = 'overloaded';
  /** Temporary: the HTTP edge answers 503 with Retry-After. */
  get temporarilyUnavailable(): true {
    return true;
  }
  constructor(mailbox: string, capacity: number) {
    super(MailboxOverloadError.code, `mailbox of ${mailbox} is full (${capacity} messages queued); message refused`);
  }
}

/** The hosting instance could not be reached over the transport (down, no responders, transport closed). */
export class ActorUnreachableError extends ActorError {
  override name = 'ActorUnreachableError';
  static readonly code = 'unreachable';
  /** Temporary: the HTTP edge answers 503 with Retry-After (a getter, so wire-rebuilt errors have it too). */
  get temporarilyUnavailable(): true {
    return true;
  }
  constructor(kind: string, key: string, instance: string, detail: string, options?: { cause?: unknown }) {
    super(ActorUnreachableError.code, `cannot reach instance ${JSON.stringify(instance)} hosting actor ${at(kind, key)}: ${detail}`, options);
  }
}

/** The actor system was stopped; no new calls are accepted. */
export class ActorSystemStoppedError extends ActorError {
  override name = 'ActorSystemStoppedError';
  static readonly code = 'stopped';
  constructor(instance: string, operation: string) {
    super(ActorSystemStoppedError.code, `cannot ${operation}: actor system of instance ${JSON.stringify(instance)} is stopped`);
  }
}

const wireClasses: ReadonlyMap<string, { prototype: ActorError }> = new Map<string, { prototype: ActorError }>([
  [ActorCrashedError.code, ActorCrashedError],
  [AskTimeoutError.code, AskTimeoutError],
  [UnknownMethodError.code, UnknownMethodError],
  [NotHostedError.code, NotHostedError],
  [MailboxOverloadError.code, MailboxOverloadError],
  [ActorUnreachableError.code, ActorUnreachableError],
  [ActorSystemStoppedError.code, ActorSystemStoppedError],
]);

/**
 * Rebuilds a failure received over the wire as the matching class, keeping the remote side's
 * message verbatim (it already names the actor and the value). Unknown codes stay ActorError.
 */
export function errorFromFailure(code: string, message: string): ActorError {
  const error = new ActorError(code, message);
  const known = wireClasses.get(code);
  if (known) {
    Object.setPrototypeOf(error, known.prototype);
    // `name` is an own field set by the ActorError initialiser; take the subclass's value.
    error.name = known.prototype.constructor.name;
  }
  return error;
}
