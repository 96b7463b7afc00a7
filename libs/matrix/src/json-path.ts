// Dotted JSON paths for error messages and push rules (appendices: "Dot-separated property
// paths"): keys joined by '.', with '.' and '\' inside a key escaped by a backslash.

export type PathSegment = string | number;

export function escapePathKey(key: string): string {
  return key.includes('.') || key.includes('\\') ? key.replace(/[\\.]/g, (c) => `\\${c}`) : key;
}

/** Renders segments as `content.m\.relates_to.rel_type` or `prev_events[2]`. */
export function formatJsonPath(segments: readonly PathSegment[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? escapePathKey(segment) : `.${escapePathKey(segment)}`;
  }
  return out;
}

/**
 * Splits a dot-separated property path into keys. `\.` and `\\` are escapes; any other
 * backslash sequence is kept literally, as the spec says.
 */
export function splitDottedPath(path: string): string[] {
  const keys: string[] = [];
  let current = '';
  for (let i = 0; i < path.length; i++) {
    const c = path[i]!;
    if (c === '\\' && (path[i + 1] === '.' || path[i + 1] === '\\')) {
      current += path[i + 1];
      i++;
    } else if (c === '.') {
      keys.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  keys.push(current);
  return keys;
}
