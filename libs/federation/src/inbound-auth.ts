// Checking inbound X-Matrix requests: the header parses, the request is addressed to us, the
// origin is a server federation_domain_whitelist allows, its key is known and current, and the
// signature covers this method, URI and body. Failures are 401 M_UNAUTHORIZED (400 for an
// X-Matrix header that does not parse, 403 M_FORBIDDEN for a server we do not federate with,
// 400 M_BAD_JSON for a body that is not canonical JSON), each saying what was wrong.
import { MatrixError } from '@homeserver/http';
import { CanonicalJsonError, SignatureError, parseXMatrixAuthorization, verifyRequestSignature, type JsonValue, type VerifyKeyLookup, type XMatrixAuthorization } from '@homeserver/matrix';
import type { InboundRequest, InboundRequestAuth } from './federation.ts';

export interface XMatrixAuthOptions {
  readonly serverName: string;
  readonly lookupKey: VerifyKeyLookup;
  readonly allows: (serverName: string) => boolean;
  /** Default: Date.now. */
  readonly now?: () => number;
}

const unauthorized = (message: string) => new MatrixError(401, 'M_UNAUTHORIZED', message);

const X_MATRIX_SCHEME = /^\s*x-matrix\s/i;

/**
 * The first X-Matrix credentials among the Authorization headers. No X-Matrix header at all is
 * 401 (unauthenticated); one that does not parse (e.g. an origin that is not a server name) is
 * 400 M_UNAUTHORIZED, a malformed request, as Synapse answers.
 */
function credentials(header: string | string[] | undefined): XMatrixAuthorization {
  const headers = header === undefined ? [] : [header].flat();
  if (headers.length === 0) throw unauthorized('missing Authorization header: federation requests must be signed with X-Matrix');
  const values = headers.filter((value) => X_MATRIX_SCHEME.test(value));
  if (values.length === 0) throw unauthorized('the Authorization header does not use the X-Matrix scheme');
  let firstError: unknown;
  for (const value of values) {
    try {
      return parseXMatrixAuthorization(value);
    } catch (error) {
      firstError ??= error;
    }
  }
  throw new MatrixError(400, 'M_UNAUTHORIZED', `malformed X-Matrix Authorization header: ${(firstError as Error).message}`);
}

export function xMatrixAuth(options: XMatrixAuthOptions): InboundRequestAuth {
  const now = options.now ?? Date.now;
  return {
    authenticate: async (request: InboundRequest): Promise<string> => {
      const auth = credentials(request.headers['authorization']);
      if (auth.destination !== undefined && auth.destination !== options.serverName) {
        throw unauthorized(`request is signed for destination ${auth.destination}, but this server is ${options.serverName}`);
      }
      if (!options.allows(auth.origin)) {
        throw new MatrixError(403, 'M_FORBIDDEN', `federation with ${auth.origin} is not allowed by this server`);
      }
      const key = await options.lookupKey(auth.origin, auth.key);
      if (key === undefined) throw unauthorized(`cannot find key ${auth.key} of ${auth.origin}`);
      const at = now();
      if (key.expiredTs !== undefined && key.expiredTs < at) throw unauthorized(`key ${auth.key} of ${auth.origin} expired at ${key.expiredTs}`);
      if (key.validUntilTs !== undefined && key.validUntilTs < at) throw unauthorized(`key ${auth.key} of ${auth.origin} was valid only until ${key.validUntilTs}`);
      const content = request.body === undefined || request.body === null ? {} : { content: request.body as JsonValue };
      try {
        verifyRequestSignature(auth, { method: request.method, uri: request.uri, ...content }, { destination: options.serverName, publicKey: key.publicKey });
      } catch (error) {
        if (error instanceof SignatureError) throw unauthorized(`bad X-Matrix signature from ${auth.origin}: ${error.message}`);
        // A body with floats or integers beyond ±(2^53−1) has no canonical form to sign: bad
        // JSON from the sender, not a fault here (Sytest sends such events to send_join/invite).
        if (error instanceof CanonicalJsonError) throw new MatrixError(400, 'M_BAD_JSON', `request body is not canonical JSON: ${error.message}`);
        throw error;
      }
      return auth.origin;
    },
  };
}
