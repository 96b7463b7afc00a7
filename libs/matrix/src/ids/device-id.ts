// Device IDs: the spec leaves their grammar open, so we only guard against values that break
// storage and logs: empty, over 255 bytes, or containing control characters.
import { InvalidIdentifierError } from '../errors.ts';
import { MAX_ID_BYTES, utf8ByteLength } from './byte-length.ts';

const KIND = 'device ID';
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

export function parseDeviceId(value: string): string {
  if (value.length === 0) throw new InvalidIdentifierError(KIND, value, 'it is empty');
  if (utf8ByteLength(value) > MAX_ID_BYTES) {
    throw new InvalidIdentifierError(KIND, value, `it is longer than ${MAX_ID_BYTES} bytes`);
  }
  if (CONTROL.test(value) || !value.isWellFormed()) {
    throw new InvalidIdentifierError(KIND, value, 'it contains control characters or unpaired surrogates');
  }
  return value;
}

export function isValidDeviceId(value: string): boolean {
  try {
    parseDeviceId(value);
    return true;
  } catch {
    return false;
  }
}
