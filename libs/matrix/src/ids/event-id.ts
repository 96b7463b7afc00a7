// Event IDs (appendices: "Event IDs" and the room versions' event ID sections):
// v1–v2 `$opaque:server_name`; v3 `$` + 43 chars of standard unpadded base64; v4+ `$` + 43
// chars of URL-safe unpadded base64. All at most 255 bytes.
import { InvalidIdentifierError } from '../errors.ts';
import type { EventIdFormat } from '../room-version.ts';
import { MAX_ID_BYTES, utf8ByteLength } from './byte-length.ts';
import type { ServerName } from './server-name.ts';
import { parseServerNameOf } from './user-id.ts';

export interface EventId {
  readonly value: string;
  readonly format: EventIdFormat;
  /** Only for v1–v2 (`server-assigned`) IDs. */
  readonly serverName: ServerName | undefined;
}

export interface ParseEventIdOptions {
  /** The format the room version demands; default: accept any of the three formats. */
  format?: EventIdFormat;
}

const KIND = 'event ID';
const STANDARD_43 = /^[A-Za-z0-9+/]{43}$/;
const URL_SAFE_43 = /^[A-Za-z0-9_-]{43}$/;

export function parseEventId(value: string, options: ParseEventIdOptions = {}): EventId {
  if (!value.startsWith('$')) throw new InvalidIdentifierError(KIND, value, 'it does not start with "$"');
  if (utf8ByteLength(value) > MAX_ID_BYTES) {
    throw new InvalidIdentifierError(KIND, value, `it is longer than ${MAX_ID_BYTES} bytes`);
  }
  const body = value.slice(1);
  const colon = body.indexOf(':');
  let parsed: EventId;
  if (colon >= 0) {
    if (body.slice(0, colon).includes('\u0000')) {
      throw new InvalidIdentifierError(KIND, value, 'the localpart contains NUL');
    }
    parsed = { value, format: 'server-assigned', serverName: parseServerNameOf(KIND, value, body.slice(colon + 1)) };
  } else if (URL_SAFE_43.test(body)) {
    // A hash using neither '+', '/', '-' nor '_' is valid in both alphabets.
    const format = options.format === 'base64' && STANDARD_43.test(body) ? 'base64' : 'url-safe-base64';
    parsed = { value, format, serverName: undefined };
  } else if (STANDARD_43.test(body)) {
    parsed = { value, format: 'base64', serverName: undefined };
  } else {
    throw new InvalidIdentifierError(
      KIND,
      value,
      'it is neither "$opaque:server" nor "$" followed by a 43-character base64 reference hash',
    );
  }
  if (options.format !== undefined && parsed.format !== options.format) {
    throw new InvalidIdentifierError(KIND, value, `the room version requires the ${options.format} format`);
  }
  return parsed;
}

export function isValidEventId(value: string, options: ParseEventIdOptions = {}): boolean {
  try {
    parseEventId(value, options);
    return true;
  } catch {
    return false;
  }
}
