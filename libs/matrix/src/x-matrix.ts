// Request authentication between servers (server-server API, "Request Authentication"): the
// sender signs a JSON object made of the method, the URI as sent, origin, destination and the
// body, and carries the signature in `Authorization: X-Matrix origin=..,destination=..,key=..,sig=..`.
// Pure functions: the caller supplies keys and says who it is.
import { encodeUnpaddedBase64 } from './base64.ts';
import { SignatureError } from './errors.ts';
import { isValidKeyId } from './ids/key-id.ts';
import { isValidServerName } from './ids/server-name.ts';
import type { JsonObject, JsonValue } from './json.ts';
import type { SigningKey } from './keys.ts';
import { signingBytes, verifyJsonSignature } from './signing.ts';

export interface SignedRequestFields {
  /** HTTP method, upper case as sent. */
  readonly method: string;
  /** Path and query string exactly as sent on the request line, e.g. `/_matrix/federation/v1/send/1`. */
  readonly uri: string;
  readonly origin: string;
  readonly destination: string;
  /** The request body (absent for requests without one). */
  readonly content?: JsonValue;
}

export interface XMatrixAuthorization {
  readonly origin: string;
  /** Absent in headers from servers older than spec v1.3. */
  readonly destination: string | undefined;
  readonly key: string;
  readonly sig: string;
}

/** The JSON object whose signature authenticates a request. */
export function requestSigningObject(fields: SignedRequestFields): JsonObject {
  const object: JsonObject = { method: fields.method, uri: fields.uri, origin: fields.origin, destination: fields.destination };
  if (fields.content !== undefined) object['content'] = fields.content;
  return object;
}

function quote(value: string): string {
  return `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/** The `Authorization` header value for a request `fields.origin` makes with `key`. */
export function signRequest(fields: SignedRequestFields, key: SigningKey): string {
  const sig = encodeUnpaddedBase64(key.sign(signingBytes(requestSigningObject(fields))));
  return `X-Matrix origin=${quote(fields.origin)},destination=${quote(fields.destination)},key=${quote(key.keyId)},sig=${quote(sig)}`;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+/;

/** Reads `name=value` pairs (value a token or a quoted-string with backslash escapes). */
function parseParams(text: string): Map<string, string> {
  const params = new Map<string, string>();
  let rest = text.trim();
  while (rest.length > 0) {
    const name = TOKEN.exec(rest)?.[0];
    if (name === undefined) throw new SignatureError(`X-Matrix header has a malformed parameter at ${JSON.stringify(rest.slice(0, 20))}`);
    rest = rest.slice(name.length).trimStart();
    if (!rest.startsWith('=')) throw new SignatureError(`X-Matrix parameter ${name} has no value`);
    rest = rest.slice(1).trimStart();
    let value = '';
    if (rest.startsWith('"')) {
      let i = 1;
      for (; i < rest.length && rest[i] !== '"'; i += 1) {
        if (rest[i] === '\\') i += 1;
        value += rest[i] ?? '';
      }
      if (i >= rest.length) throw new SignatureError(`X-Matrix parameter ${name} has an unterminated quoted value`);
      rest = rest.slice(i + 1);
    } else {
      // Unquoted values: what Synapse and older servers send (e.g. key=ed25519:abc), up to the next comma.
      const end = rest.indexOf(',');
      value = (end < 0 ? rest : rest.slice(0, end)).trim();
      rest = end < 0 ? '' : rest.slice(end);
    }
    // Parameter names are case-insensitive (RFC 9110 auth-param); the first of a repeated name wins.
    const lower = name.toLowerCase();
    if (!params.has(lower)) params.set(lower, value);
    rest = rest.trimStart();
    if (rest.startsWith(',')) rest = rest.slice(1).trimStart();
    else if (rest.length > 0) throw new SignatureError(`X-Matrix parameters must be separated by commas, found ${JSON.stringify(rest.slice(0, 20))}`);
  }
  return params;
}

/**
 * Parses an `Authorization` header value of the X-Matrix scheme. Throws SignatureError naming
 * what is missing or malformed (scheme, origin, key, sig).
 */
export function parseXMatrixAuthorization(header: string): XMatrixAuthorization {
  const match = /^\s*x-matrix\s+(.*)$/is.exec(header);
  if (match === null) throw new SignatureError('the Authorization header does not use the X-Matrix scheme');
  const params = parseParams(match[1]!);
  const origin = params.get('origin');
  const key = params.get('key');
  const sig = params.get('sig');
  const destination = params.get('destination');
  if (origin === undefined || !isValidServerName(origin)) throw new SignatureError(`X-Matrix origin ${JSON.stringify(origin)} is not a server name`);
  if (destination !== undefined && !isValidServerName(destination)) throw new SignatureError(`X-Matrix destination ${JSON.stringify(destination)} is not a server name`);
  if (key === undefined || !isValidKeyId(key)) throw new SignatureError(`X-Matrix key ${JSON.stringify(key)} is not a key ID`);
  if (sig === undefined || sig.length === 0) throw new SignatureError('X-Matrix header has no sig');
  return { origin, destination, key, sig };
}

export interface VerifyRequestOptions {
  /** The receiving server's own name: the request must be addressed to it. */
  readonly destination: string;
  /** The origin's public key for `authorization.key` (raw 32 bytes). */
  readonly publicKey: Uint8Array;
}

/**
 * Checks that the header's signature covers this request addressed to `options.destination`.
 * A header without destination (older servers) is checked as if it named us. Throws SignatureError.
 */
export function verifyRequestSignature(
  authorization: XMatrixAuthorization,
  request: { readonly method: string; readonly uri: string; readonly content?: JsonValue },
  options: VerifyRequestOptions,
): void {
  if (authorization.destination !== undefined && authorization.destination !== options.destination) {
    throw new SignatureError(`request is signed for destination ${authorization.destination}, not ${options.destination}`);
  }
  const signed: JsonObject = {
    ...requestSigningObject({ ...request, origin: authorization.origin, destination: options.destination }),
    signatures: { [authorization.origin]: { [authorization.key]: authorization.sig } },
  };
  verifyJsonSignature(signed, authorization.origin, { keyId: authorization.key, publicKey: options.publicKey });
}
