// The reply serializer of every listener. JSON.stringify is recursive and V8 gives up about
// 4,500 levels down (less inside a deep call stack) with a RangeError; a stored event nested
// deeper than that (accepted before request bodies were bounded, or by another server) would
// then break /sync, /messages and /state for every member of its room. JSON.stringify stays the
// fast path; only a reply it cannot handle is written by the iterative encoder below, which
// produces the same text.

/** JSON text of a reply: JSON.stringify, or the same text built without recursion when too deep. */
export function stringifyReply(payload: unknown): string {
  try {
    return JSON.stringify(payload);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return stringifyIteratively(payload);
  }
}

type Frame =
  | { readonly kind: 'array'; readonly items: readonly unknown[]; index: number }
  | { readonly kind: 'object'; readonly entries: ReadonlyArray<[string, unknown]>; index: number; wrote: boolean };

/** What JSON.stringify would write for `value` after toJSON; undefined when it writes nothing. */
function scalar(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      throw new TypeError('Do not know how to serialize a BigInt');
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    default:
      return value === null ? 'null' : undefined;
  }
}

function prepared(value: unknown, key: string): unknown {
  if (typeof value === 'object' && value !== null && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return (value as { toJSON(key: string): unknown }).toJSON(key);
  }
  return value;
}

/**
 * JSON.stringify's output (no replacer, no indentation) with an explicit stack instead of
 * recursion, so any nesting depth is written. Exported for its tests.
 */
export function stringifyIteratively(root: unknown): string {
  const parts: string[] = [];
  const stack: Frame[] = [];
  // Writes `value` (already through toJSON); returns false when JSON.stringify would skip it.
  const open = (value: unknown): boolean => {
    if (typeof value === 'object' && value !== null) {
      if (Array.isArray(value)) {
        parts.push('[');
        stack.push({ kind: 'array', items: value, index: 0 });
      } else {
        parts.push('{');
        stack.push({ kind: 'object', entries: Object.entries(value), index: 0, wrote: false });
      }
      return true;
    }
    const text = scalar(value);
    if (text === undefined) return false;
    parts.push(text);
    return true;
  };
  if (!open(prepared(root, ''))) return undefined as unknown as string;
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    if (frame.kind === 'array') {
      if (frame.index >= frame.items.length) {
        parts.push(']');
        stack.pop();
        continue;
      }
      const i = frame.index++;
      if (i > 0) parts.push(',');
      // Arrays write null where a member would be skipped.
      if (!open(prepared(frame.items[i], String(i)))) parts.push('null');
      continue;
    }
    if (frame.index >= frame.entries.length) {
      parts.push('}');
      stack.pop();
      continue;
    }
    const [key, raw] = frame.entries[frame.index++]!;
    const value = prepared(raw, key);
    if (typeof value !== 'object' && scalar(value) === undefined) continue;
    parts.push(`${frame.wrote ? ',' : ''}${JSON.stringify(key)}:`);
    frame.wrote = true;
    open(value);
  }
  return parts.join('');
}
