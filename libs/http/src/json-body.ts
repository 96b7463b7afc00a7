// Request bodies as JSON, refused before anything else reads them when they could hurt: bytes
// that are not UTF-8 (decoding them would silently store U+FFFD in their place), JSON nested
// deeper than the server can safely walk (recursive code, V8's own JSON.stringify included,
// overflows the stack a few thousand levels down), and U+0000 (nul-guard.ts).
//
// The depth limit: CPython's json module, which Synapse decodes and canonicalises with, gives up
// about a thousand levels down (its recursion limit), so no event deeper than that can be created
// on, or travel through, a Synapse server; serde_json (Conduit and its forks) stops at 128. A client
// body may therefore nest 1,000 levels. An event built from such a body is one level deeper and a
// federation transaction wraps it in three more, so federation bodies get 16 levels of headroom:
// whatever this server (or Synapse) creates, another instance of it accepts.
import { badJson, notJson } from './matrix-error.ts';
import { refuseUnstorableText } from './nul-guard.ts';

/** Deepest nesting (objects and arrays) accepted in a client request body. */
export const MAX_CLIENT_JSON_DEPTH = 1000;
/** Deepest nesting accepted in a server-server request body (client limit plus the wrappers). */
export const MAX_FEDERATION_JSON_DEPTH = MAX_CLIENT_JSON_DEPTH + 16;

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * True when UTF-8 JSON nests objects and arrays more than `max` levels deep. Brackets inside
 * strings do not count. Iterative, so any depth is measured without recursion; the bytes need
 * not be valid JSON (the parser judges that afterwards). Bytes, not the decoded string: the
 * structural characters are ASCII, which UTF-8 never uses inside a multi-byte sequence, and a
 * byte loop is about twice as fast (some 10 ms per MiB).
 */
export function jsonNestsDeeperThan(json: Uint8Array, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = json[i]!;
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > max) return true;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
    }
  }
  return false;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

export interface ParseJsonBodyOptions {
  /** Deepest nesting accepted. Default: MAX_CLIENT_JSON_DEPTH. */
  readonly maxDepth?: number;
}

/**
 * The parsed body, or undefined for an empty one. Throws M_NOT_JSON for bytes that are not UTF-8
 * or text that is not JSON, M_BAD_JSON for nesting past the limit or U+0000.
 */
export function parseJsonBody(body: Uint8Array, options: ParseJsonBodyOptions = {}): unknown {
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw notJson('request body is not valid UTF-8; JSON must be sent as UTF-8');
  }
  if (text.trim() === '') return undefined;
  const maxDepth = options.maxDepth ?? MAX_CLIENT_JSON_DEPTH;
  if (jsonNestsDeeperThan(body, maxDepth)) throw badJson(`request body nests objects and arrays more than ${maxDepth} levels deep, which is not accepted`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw notJson(`request body is not valid JSON: ${(error as Error).message}`);
  }
  refuseUnstorableText(text, parsed);
  return parsed;
}
