// Named transport failures. Callers branch on the class, never on message text.

export class TransportError extends Error {
  override name = 'TransportError';
}

/** Nobody serves the requested subject right now. */
export class NoRespondersError extends TransportError {
  override name = 'NoRespondersError';
  constructor(readonly subject: string) {
    super(`no responders for request on subject ${JSON.stringify(subject)}`);
  }
}

/** A request got no reply within its timeout. */
export class RequestTimeoutError extends TransportError {
  override name = 'RequestTimeoutError';
  constructor(readonly subject: string, readonly timeoutMs: number) {
    super(`request on subject ${JSON.stringify(subject)} got no reply within ${timeoutMs} ms`);
  }
}

/** The responder's handler threw. */
export class RequestFailedError extends TransportError {
  override name = 'RequestFailedError';
  constructor(readonly subject: string, detail: string) {
    super(`request on subject ${JSON.stringify(subject)} failed in the responder: ${detail}`);
  }
}

export class PayloadTooLargeError extends TransportError {
  override name = 'PayloadTooLargeError';
  constructor(readonly subject: string, readonly bytes: number, readonly limit: number) {
    super(`payload of ${bytes} bytes on subject ${JSON.stringify(subject)} exceeds the ${limit}-byte limit`);
  }
}

export class TransportClosedError extends TransportError {
  override name = 'TransportClosedError';
  constructor(operation: string) {
    super(`cannot ${operation}: the transport is closed`);
  }
}
