// User IDs (appendices: "User Identifiers"): `@localpart:server_name`, at most 255 bytes.
// Current grammar allows only a-z 0-9 . _ = - / + in the localpart; historical IDs (any code
// point but ':' and NUL, even empty) must still be accepted in events, so both are offered.
import { InvalidIdentifierError } from '../errors.ts';
import { MAX_ID_BYTES, utf8ByteLength } from './byte-length.ts';
import { parseServerName, type ServerName } from './server-name.ts';

export type UserIdGrammar = 'strict' | 'historical';

export interface ParseUserIdOptions {
  /**
   * 'strict' enforces the current localpart grammar (use it for new registrations);
   * 'historical' accepts any non-surrogate code point except ':' and NUL, as the spec
   * requires for events. Default: 'historical'.
   */
  grammar?: UserIdGrammar;
}

export interface UserId {
  readonly value: string;
  readonly localpart: string;
  readonly serverName: ServerName;
  /** False when the localpart only passes the historical grammar. */
  readonly compliant: boolean;
}

const KIND = 'user ID';
const STRICT_LOCALPART = /^[a-z0-9._=\-/+]+$/;

export function isCompliantUserLocalpart(localpart: string): boolean {
  return STRICT_LOCALPART.test(localpart);
}

export function parseUserId(value: string, options: ParseUserIdOptions = {}): UserId {
  const grammar = options.grammar ?? 'historical';
  if (!value.startsWith('@')) throw new InvalidIdentifierError(KIND, value, 'it does not start with "@"');
  const colon = value.indexOf(':');
  if (colon < 0) throw new InvalidIdentifierError(KIND, value, 'it has no ":server_name" part');
  if (utf8ByteLength(value) > MAX_ID_BYTES) {
    throw new InvalidIdentifierError(KIND, value, `it is longer than ${MAX_ID_BYTES} bytes`);
  }
  const localpart = value.slice(1, colon);
  const compliant = isCompliantUserLocalpart(localpart);
  if (grammar === 'strict' && !compliant) {
    throw new InvalidIdentifierError(
      KIND,
      value,
      localpart === '' ? 'the localpart is empty' : 'the localpart may only contain a-z, 0-9 and . _ = - / +',
    );
  }
  // Any code point but NUL (':' cannot occur: we split at the first one) and no lone surrogates.
  if (localpart.includes('\u0000') || !localpart.isWellFormed()) {
    throw new InvalidIdentifierError(KIND, value, 'the localpart contains NUL or an unpaired surrogate');
  }
  const serverName = parseServerNameOf(KIND, value, value.slice(colon + 1));
  return { value, localpart, serverName, compliant };
}

export function isValidUserId(value: string, options: ParseUserIdOptions = {}): boolean {
  try {
    parseUserId(value, options);
    return true;
  } catch {
    return false;
  }
}

export function formatUserId(localpart: string, serverName: string): string {
  return `@${localpart}:${serverName}`;
}

/** The server name part of an ID that has one, wrapping the server-name error in the ID's kind. */
export function parseServerNameOf(kind: string, value: string, serverPart: string): ServerName {
  try {
    return parseServerName(serverPart);
  } catch (error) {
    const reason = error instanceof InvalidIdentifierError ? error.reason : String(error);
    throw new InvalidIdentifierError(kind, value, `server name "${serverPart}" is invalid: ${reason}`);
  }
}
