// Signing key identifiers `algorithm:version`, e.g. `ed25519:abc123`. The server-server spec
// limits the version to [a-zA-Z0-9_]; the algorithm is a lower-case name.
import { InvalidIdentifierError } from '../errors.ts';

export interface KeyId {
  readonly value: string;
  readonly algorithm: string;
  readonly version: string;
}

const KIND = 'key ID';
const ALGORITHM = /^[a-z0-9_]+$/;
const VERSION = /^[A-Za-z0-9_]+$/;

export function parseKeyId(value: string): KeyId {
  const colon = value.indexOf(':');
  if (colon < 0) throw new InvalidIdentifierError(KIND, value, 'it has no ":" between algorithm and version');
  const algorithm = value.slice(0, colon);
  const version = value.slice(colon + 1);
  if (!ALGORITHM.test(algorithm)) {
    throw new InvalidIdentifierError(KIND, value, `algorithm "${algorithm}" may only contain a-z, 0-9 and _`);
  }
  if (!VERSION.test(version)) {
    throw new InvalidIdentifierError(KIND, value, `version "${version}" may only contain A-Z, a-z, 0-9 and _`);
  }
  return { value, algorithm, version };
}

export function isValidKeyId(value: string): boolean {
  try {
    parseKeyId(value);
    return true;
  } catch {
    return false;
  }
}

export function formatKeyId(algorithm: string, version: string): string {
  return `${algorithm}:${version}`;
}
