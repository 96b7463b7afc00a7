// The comparable part of an answer: its status and, for JSON, each field's type recursively
// (an array by its first element). Two servers' answers to the same call are compared by these,
// field by field; values differ by nature (IDs, timestamps) and are not part of a shape.
export type Shape = string | { readonly [field: string]: Shape } | readonly [Shape] | readonly [];

export function shapeOf(value: unknown): Shape {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length === 0 ? [] : [shapeOf(value[0])];
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, shapeOf(v)]));
  return typeof value;
}

/**
 * Where `actual` differs from `expected`: missing and extra fields, and type changes. A field
 * Synapse answers null may be a value here and the other way round only where listed in `nullable`
 * (fields that are null or not depending on data, e.g. an avatar).
 */
export function shapeDifferences(expected: Shape, actual: Shape, path = '$'): string[] {
  if (typeof expected === 'string' || typeof actual === 'string') {
    if (expected === actual) return [];
    if (expected === 'null' || actual === 'null') return [`${path}: Synapse ${JSON.stringify(expected)}, here ${JSON.stringify(actual)} (null versus a value)`];
    return [`${path}: Synapse ${JSON.stringify(expected)}, here ${JSON.stringify(actual)}`];
  }
  if (Array.isArray(expected) || Array.isArray(actual)) {
    if (!Array.isArray(expected) || !Array.isArray(actual)) return [`${path}: Synapse ${Array.isArray(expected) ? 'an array' : 'an object'}, here ${Array.isArray(actual) ? 'an array' : 'an object'}`];
    if (expected.length === 0 || actual.length === 0) return expected.length === actual.length ? [] : [`${path}: Synapse ${expected.length === 0 ? 'empty' : 'non-empty'}, here ${actual.length === 0 ? 'empty' : 'non-empty'}`];
    return shapeDifferences(expected[0] as Shape, actual[0] as Shape, `${path}[0]`);
  }
  const out: string[] = [];
  const e = expected as Record<string, Shape>;
  const a = actual as Record<string, Shape>;
  for (const key of Object.keys(e)) {
    if (!(key in a)) out.push(`${path}.${key}: missing here`);
    else out.push(...shapeDifferences(e[key]!, a[key]!, `${path}.${key}`));
  }
  for (const key of Object.keys(a)) if (!(key in e)) out.push(`${path}.${key}: not in Synapse's answer`);
  return out;
}
