// Sending one bad-input case to a federation route as another server would: the sweep's access
// token modes become X-Matrix modes (none: unsigned; invalid: signed by a key the server does
// not know for that origin; valid: signed by the origin's key), so the same case builder covers
// the server-server API. A body that is not JSON (or too deep to encode) is signed without
// content: the server must refuse it before the signature matters.
import { signRequest, type JsonObject, type SigningKey } from '@homeserver/matrix';
import type { BadCase } from './bad-cases.ts';
import { sendCase, type Answer, type SendOptions } from './check-answer.ts';

export interface FederationSigner {
  readonly origin: string;
  readonly destination: string;
  readonly key: SigningKey;
  /** Same key ID, other key: a wrong signature. */
  readonly wrongKey: SigningKey;
}

function contentOf(body: string | Uint8Array | undefined): { content?: JsonObject } {
  if (typeof body !== 'string') return {};
  try {
    return { content: JSON.parse(body) as JsonObject };
  } catch {
    return {};
  }
}

/** The Authorization header for `badCase` (undefined: unsigned). */
export function federationAuthorization(badCase: Pick<BadCase, 'method' | 'url' | 'token' | 'body'>, signer: FederationSigner, destination = signer.destination): string | undefined {
  if (badCase.token === 'none') return undefined;
  const key = badCase.token === 'valid' ? signer.key : signer.wrongKey;
  const fields = { method: badCase.method, uri: badCase.url, origin: signer.origin, destination };
  try {
    return signRequest({ ...fields, ...contentOf(badCase.body) }, key);
  } catch {
    // Too deep for canonical JSON (the server refuses it before checking the signature).
    return signRequest(fields, key);
  }
}

export async function sendFederationCase(baseUrl: string, badCase: BadCase, signer: FederationSigner, options: SendOptions & { destination?: string } = {}): Promise<Answer> {
  return sendCase(baseUrl, '', badCase, { ...options, authorization: federationAuthorization(badCase, signer, options.destination) ?? null });
}
