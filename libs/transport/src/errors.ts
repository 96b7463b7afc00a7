// Named transport failures. Callers branch on the class, never on message text.
// Fields are assigned in the body (no parameter properties): Node's type stripping and
// erasableSyntaxOnly reject parameter properties.

export class TransportError extends Error {
  override name = 'TransportError';
}

/** Nobody serves the requested subject right now. */
export class NoRespondersError extends TransportError {
  override name = 'NoRespondersError';
  readonly subject: string;
  constructor(subject: string) {
    super(`no responders for request on subject ${JSON.stringify(subject)}`);
    this.subject = subject;
  }
}

/** A request got no reply within its timeout. */
export class RequestTimeoutError extends TransportError {
  override name = 'RequestTimeoutError';
  readonly subject: string;
  readonly timeoutMs: number;
  constructor(subject: string, timeoutMs: number) {
    super(`request on subject ${JSON.stringify(subject)} got no reply within ${timeoutMs} ms`);
    this.subject = subject;
    this.timeoutMs = timeoutMs;
  }
}

/** The responder's handler threw (or its reply could not be sent). */
export class RequestFailedError extends TransportError {
  override name = 'RequestFailedError';
  readonly subject: string;
  readonly detail: string;
  constructor(subject: string, detail: string) {
    super(`request on subject ${JSON.stringify(subject)} failed in the responder: ${detail}`);
    this.subject = subject;
    this.detail = detail;
  }
}

export class PayloadTooLargeError extends TransportError {
  override name = 'PayloadTooLargeError';
  readonly subject: string;
  readonly bytes: number;
  readonly limit: number;
  constructor(subject: string, bytes: number, limit: number) {
    super(`payload of ${bytes} bytes on subject ${JSON.stringify(subject)} exceeds the ${limit}-byte limit`);
    this.subject = subject;
    this.bytes = bytes;
    this.limit = limit;
  }
}

export class TransportClosedError extends TransportError {
  override name = 'TransportClosedError';
  constructor(operation: string) {
    super(`cannot ${operation}: the transport is closed`);
  }
}

/** A subject is not dot-separated tokens, or uses a wildcard where none is allowed. */
export class InvalidSubjectError extends TransportError {
  override name = 'InvalidSubjectError';
  readonly subject: string;
  constructor(subject: string, reason: string) {
    super(`invalid subject ${JSON.stringify(subject)}: ${reason}`);
    this.subject = subject;
  }
}

/** Text for a RequestFailedError: the thrown value's name and message, never its stack. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
