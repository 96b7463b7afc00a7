// Named error classes of the Matrix core. Each says what was attempted and which value was
// wrong, so callers (HTTP handlers, federation ingress) can map them to M_BAD_JSON,
// M_INVALID_PARAM etc. without parsing messages.

/** An identifier (user ID, room ID, server name, ...) does not follow its grammar. */
export class InvalidIdentifierError extends Error {
  override readonly name = 'InvalidIdentifierError';
  /** Which identifier kind was being parsed, e.g. 'user ID'. */
  readonly kind: string;
  readonly value: string;
  readonly reason: string;
  constructor(kind: string, value: string, reason: string) {
    super(`invalid ${kind} ${JSON.stringify(value)}: ${reason}`);
    this.kind = kind;
    this.value = value;
    this.reason = reason;
  }
}

/** A value cannot be encoded as (or was not) canonical JSON. `path` names the offending member. */
export class CanonicalJsonError extends Error {
  override readonly name = 'CanonicalJsonError';
  /** Dotted JSON path of the offending value ('' for the root), e.g. `content.count` or `prev_events[2]`. */
  readonly path: string;
  readonly reason: string;
  constructor(path: string, reason: string) {
    super(`value at ${path === '' ? '(root)' : path} is not canonical JSON: ${reason}`);
    this.path = path;
    this.reason = reason;
  }
}

/** Input text is not valid (unpadded or padded) base64 of the expected alphabet. */
export class Base64Error extends Error {
  override readonly name = 'Base64Error';
  readonly value: string;
  constructor(value: string, reason: string) {
    const shown = value.length > 60 ? `${value.slice(0, 60)}…` : value;
    super(`invalid base64 ${JSON.stringify(shown)}: ${reason}`);
    this.value = value;
  }
}

/** A key, signature or signed object is malformed or does not verify. */
export class SignatureError extends Error {
  override readonly name = 'SignatureError';
  constructor(message: string) {
    super(message);
  }
}

/** A PDU does not follow the event format of its room version. `field` names the culprit. */
export class PduFormatError extends Error {
  override readonly name = 'PduFormatError';
  readonly field: string;
  readonly reason: string;
  constructor(field: string, reason: string) {
    super(`malformed PDU: ${field === '' ? 'event' : `field ${field}`} ${reason}`);
    this.field = field;
    this.reason = reason;
  }
}

/** An event exceeds the spec's size limits (whole event or a single field). */
export class EventSizeError extends Error {
  override readonly name = 'EventSizeError';
  readonly field: string;
  readonly size: number;
  readonly limit: number;
  constructor(field: string, size: number, limit: number) {
    super(`event ${field === '' ? 'as a whole' : `field ${field}`} is ${size} bytes, over the limit of ${limit} bytes`);
    this.field = field;
    this.size = size;
    this.limit = limit;
  }
}

/** A push rule is malformed (e.g. an unparsable `room_member_count` condition). */
export class PushRuleError extends Error {
  override readonly name = 'PushRuleError';
  constructor(message: string) {
    super(message);
  }
}
