// Parsing JSON received from clients and servers. In room versions 6+ the spec requires
// rejecting anything that is not canonical-JSON-compatible (floats, integers beyond ±(2^53−1));
// the error names the JSON path so M_BAD_JSON responses can point at it.
import { CanonicalJsonError } from './errors.ts';
import { formatJsonPath, type PathSegment } from './json-path.ts';
import type { JsonValue } from './json.ts';

export interface ParseJsonOptions {
  /**
   * Reject floats, exponents, -0, integers outside ±(2^53−1) and unpaired surrogates.
   * Use `roomVersion.strictCanonicalJson` for events. Default: true.
   */
  strict?: boolean;
}

const INTEGER_SOURCE = /^-?(?:0|[1-9][0-9]*)$/;
const VIOLATION = Symbol('canonical-json-violation');

interface Violation {
  readonly [VIOLATION]: string;
}

type SourceReviver = (this: unknown, key: string, value: unknown, context?: { source?: string }) => unknown;

/** Parses JSON text; throws SyntaxError for invalid JSON and CanonicalJsonError for strictness. */
export function parseJson(text: string, options: ParseJsonOptions = {}): JsonValue {
  if (options.strict === false) return JSON.parse(text) as JsonValue;
  let violations = 0;
  // The reviver sees each number's source text (Node 24), so 1.0 and 1e2 are caught even
  // though they parse to integers. Bad values become markers that are located afterwards.
  const reviver: SourceReviver = (_key, value, context) => {
    if (typeof value === 'number') {
      const source = context?.source ?? String(value);
      let reason: string | undefined;
      if (!INTEGER_SOURCE.test(source)) reason = `number ${source} is not an integer without fraction or exponent`;
      else if (source === '-0') reason = 'negative zero is not allowed';
      else if (!Number.isSafeInteger(value)) reason = `integer ${source} is outside the range ±(2^53−1)`;
      if (reason !== undefined) {
        violations++;
        return { [VIOLATION]: reason } satisfies Violation;
      }
    } else if (typeof value === 'string' && !value.isWellFormed()) {
      violations++;
      return { [VIOLATION]: 'string contains an unpaired UTF-16 surrogate' } satisfies Violation;
    }
    return value;
  };
  const parsed = JSON.parse(text, reviver as (key: string, value: unknown) => unknown) as JsonValue;
  if (violations > 0) throwFirstViolation(parsed, []);
  return parsed;
}

function throwFirstViolation(value: unknown, path: PathSegment[]): void {
  if (typeof value !== 'object' || value === null) return;
  if (VIOLATION in value) throw new CanonicalJsonError(formatJsonPath(path), (value as Violation)[VIOLATION]);
  const entries: [PathSegment, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [i, v])
    : Object.entries(value);
  for (const [segment, child] of entries) {
    path.push(segment);
    throwFirstViolation(child, path);
    path.pop();
  }
}
