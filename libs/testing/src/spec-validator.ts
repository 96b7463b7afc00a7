// Validates homeserver responses against the vendored Matrix spec (v1.19) OpenAPI files, so tests
// can assert "this body is what the spec promises for this endpoint and status".
//
// Every YAML/JSON file under the spec's data/ folder is registered with Ajv under its file URL;
// relative `$ref`s across files then resolve the way JSON Schema resolves them (against the URL of
// the document they appear in). A response schema is compiled as a `$ref` with a JSON pointer into
// its OpenAPI document, which keeps the document's base URL for its own relative refs.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import jsYaml from 'js-yaml';

/** Where the vendored spec lives, relative to this file (libs/testing/src → /work/shared). */
const DEFAULT_SPEC_DIR = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../../../shared/matrix-spec/data',
);

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

/** One operation of the spec: an HTTP method on a templated path. */
export interface SpecOperation {
  /** Upper-case HTTP method, e.g. `GET`. */
  readonly method: string;
  /** Full templated path, e.g. `/_matrix/client/v3/rooms/{roomId}/send/{eventType}/{txnId}`. */
  readonly path: string;
  /** The operation's `operationId` (unique within the client-server API). */
  readonly operationId: string;
  /** The spec file the operation comes from, relative to `api/`, e.g. `client-server/room_send.yaml`. */
  readonly file: string;
  /** Statuses documented for this operation (`"200"`, `"404"`, `"default"`, ...). */
  readonly statuses: readonly string[];
  /** Whether the spec marks the operation as deprecated. */
  readonly deprecated: boolean;
}

export interface SpecValidatorOptions {
  /** Folder holding the spec's `data/` tree. Default: the vendored copy under /work/shared. */
  readonly specDir?: string;
  /** API folders (under `data/api/`) whose operations are indexed. Default: `['client-server']`. */
  readonly apis?: readonly string[];
}

/** Thrown when a response does not match the spec; the message lists every violation. */
export class SpecViolationError extends Error {
  override readonly name = 'SpecViolationError';
  readonly violations: readonly string[];
  constructor(message: string, violations: readonly string[]) {
    super(message);
    this.violations = violations;
  }
}

/** Thrown when no spec operation matches a method + path, or the status is not documented. */
export class SpecLookupError extends Error {
  override readonly name = 'SpecLookupError';
}

interface IndexedOperation extends SpecOperation {
  readonly regex: RegExp;
  /** Number of literal segments: more literal means more specific, so it wins ties. */
  readonly literalSegments: number;
  readonly fileUrl: string;
  readonly pointer: string;
  readonly responses: Record<string, unknown>;
}

type Json = Record<string, unknown>;

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) {
      // Example bodies are never referenced from schema positions; skipping them saves parse time.
      if (name !== 'examples') out.push(...listFiles(full));
    } else if (/\.(ya?ml|json)$/.test(name)) {
      out.push(full);
    }
  }
  return out;
}

function publicView(op: IndexedOperation): SpecOperation {
  const { method, path, operationId, file, statuses, deprecated } = op;
  return { method, path, operationId, file, statuses, deprecated };
}

/** JSON-pointer escaping of one path segment (RFC 6901). */
function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function templateToRegex(template: string): { regex: RegExp; literalSegments: number } {
  let literalSegments = 0;
  const source = template
    .split('/')
    .map((segment) => {
      if (/^\{[^}]+\}$/.test(segment)) return '[^/]*';
      literalSegments += 1;
      return escapeRegex(segment).replace(/\\\{[^}]+\\\}/g, '[^/]*');
    })
    .join('/');
  return { regex: new RegExp(`^${source}$`), literalSegments };
}

/** Legacy prefixes behave like v3 for validation purposes (Synapse serves the same handlers). */
function normalisePath(concretePath: string): string {
  const withoutQuery = concretePath.split('?')[0] ?? concretePath;
  return withoutQuery
    .replace(/^\/_matrix\/client\/(r0|api\/v1)\//, '/_matrix/client/v3/')
    .replace(/^\/_matrix\/media\/r0\//, '/_matrix/media/v3/');
}

function formatError(error: ErrorObject): string {
  const where = error.instancePath === '' ? '(body)' : error.instancePath;
  const extra =
    error.keyword === 'additionalProperties'
      ? ` (${String((error.params as { additionalProperty?: string }).additionalProperty)})`
      : '';
  return `${where} ${error.message ?? error.keyword}${extra}`;
}

/**
 * Rewrites every relative `$ref` into an absolute URL. Ajv loses a referenced document's base URL
 * when it follows a ref through a JSON pointer into another file, so nested relative refs would
 * otherwise resolve against the wrong file.
 */
function absoluteRefs(value: unknown, base: string): unknown {
  if (Array.isArray(value)) return value.map((item) => absoluteRefs(item, base));
  if (value === null || typeof value !== 'object') return value;
  const out: Json = {};
  for (const [key, child] of Object.entries(value)) {
    out[key] = key === '$ref' && typeof child === 'string' ? new URL(child, base).href : absoluteRefs(child, base);
  }
  return out;
}

/** Registers the custom string formats the spec uses; lenient where historical IDs allow more. */
function addMatrixFormats(ajv: Ajv2020): void {
  const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
  addFormats(ajv);
  ajv.addFormat('mx-user-id', /^@[^:\s]+:\S+$/);
  // Room IDs from room version 12 have no server part.
  ajv.addFormat('mx-room-id', /^![^\s]+$/);
  ajv.addFormat('mx-event-id', /^\$[^\s]+$/);
  ajv.addFormat('mx-room-alias', /^#[^:\s]+:\S+$/);
  ajv.addFormat('mx-server-name', /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/);
  ajv.addFormat('mx-mxc-uri', /^mxc:\/\/[^/\s]+\/[^/\s]+$/);
  ajv.addFormat('mx-unpadded-base64', /^[A-Za-z0-9+/]*$/);
  ajv.addFormat('mx-urlsafe-unpadded-base64', /^[A-Za-z0-9_-]*$/);
  ajv.addFormat('int64', {
    type: 'number',
    validate: (n: number) => Number.isInteger(n) && Math.abs(n) <= 2 ** 63,
  });
  ajv.addFormat('float', { type: 'number', validate: (n: number) => Number.isFinite(n) });
}

/** Loads the spec once and answers operation look-ups and response validations. */
export class SpecValidator {
  readonly #ajv: Ajv2020;
  readonly #operations: IndexedOperation[] = [];
  readonly #compiled = new Map<string, ValidateFunction>();
  readonly #errorSchemaRef: string;

  constructor(options: SpecValidatorOptions = {}) {
    const specDir = options.specDir ?? DEFAULT_SPEC_DIR;
    const apis = options.apis ?? ['client-server'];
    this.#ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false, inlineRefs: false });
    addMatrixFormats(this.#ajv);
    for (const file of listFiles(specDir)) {
      const text = readFileSync(file, 'utf8');
      const doc: unknown = file.endsWith('.json') ? JSON.parse(text) : jsYaml.load(text);
      if (doc === null || typeof doc !== 'object') continue;
      const url = pathToFileURL(file).href;
      this.#ajv.addSchema(absoluteRefs(doc, url) as Json, url);
      for (const api of apis) {
        const apiDir = join(specDir, 'api', api) + '/';
        if (file.startsWith(apiDir) && !file.slice(apiDir.length).includes('/')) {
          this.#index(doc as Json, url, `${api}/${file.slice(apiDir.length)}`);
        }
      }
    }
    this.#errorSchemaRef = `${pathToFileURL(join(specDir, 'api/client-server/definitions/errors/error.yaml')).href}`;
  }

  #index(doc: Json, fileUrl: string, file: string): void {
    const paths = doc['paths'] as Record<string, Json> | undefined;
    if (paths === undefined) return;
    const servers = doc['servers'] as
      | { variables?: { basePath?: { default?: string } } }[]
      | undefined;
    const basePath = servers?.[0]?.variables?.basePath?.default ?? '';
    for (const [template, item] of Object.entries(paths)) {
      for (const method of HTTP_METHODS) {
        const op = item[method] as Json | undefined;
        if (op === undefined) continue;
        const fullPath = basePath + template;
        const { regex, literalSegments } = templateToRegex(fullPath);
        const responses = (op['responses'] ?? {}) as Record<string, unknown>;
        this.#operations.push({
          method: method.toUpperCase(),
          path: fullPath,
          operationId: String(op['operationId'] ?? `${method} ${fullPath}`),
          file,
          statuses: Object.keys(responses),
          deprecated: op['deprecated'] === true,
          regex,
          literalSegments,
          fileUrl,
          pointer: `#/paths/${escapePointer(template)}/${method}/responses`,
          responses,
        });
      }
    }
  }

  /** Every indexed operation (for coverage counting). */
  operations(): readonly SpecOperation[] {
    return this.#operations.map(publicView);
  }

  /**
   * The spec operation serving `method` on a concrete path (query string ignored; `r0` and
   * `api/v1` prefixes treated as v3), or undefined. The most literal template wins ties.
   */
  findOperation(method: string, concretePath: string): SpecOperation | undefined {
    const op = this.#find(method, concretePath);
    return op === undefined ? undefined : publicView(op);
  }

  #find(method: string, concretePath: string): IndexedOperation | undefined {
    const upper = method.toUpperCase();
    const path = normalisePath(concretePath);
    const match = (candidate: string): IndexedOperation | undefined => {
      let best: IndexedOperation | undefined;
      for (const op of this.#operations) {
        if (op.method !== upper || !op.regex.test(candidate)) continue;
        if (best === undefined || op.literalSegments > best.literalSegments) best = op;
      }
      return best;
    };
    // `/rooms/{roomId}/state/{eventType}` without a state key is the empty state key.
    return match(path) ?? match(`${path}/`);
  }

  /**
   * Validates a response body against the schema the spec gives for this method, path and status.
   * Error statuses the operation does not list are checked against the standard error shape
   * (any endpoint may fail with a Matrix error); undocumented success statuses are violations.
   * Throws SpecLookupError or SpecViolationError; returns the matched operation.
   */
  validateResponse(
    method: string,
    concretePath: string,
    status: number,
    body: unknown,
  ): SpecOperation {
    const op = this.#find(method, concretePath);
    if (op === undefined) {
      throw new SpecLookupError(
        `validating ${method.toUpperCase()} ${concretePath}: no operation in the spec matches this method and path`,
      );
    }
    const key = String(status);
    let ref: string;
    let response: unknown;
    if (key in op.responses) {
      response = op.responses[key];
      ref = `${op.fileUrl}${op.pointer}/${key}`;
    } else if ('default' in op.responses) {
      response = op.responses['default'];
      ref = `${op.fileUrl}${op.pointer}/default`;
    } else if (status >= 400) {
      return this.#check(op, status, body, this.#errorSchemaRef, method, concretePath);
    } else {
      throw new SpecLookupError(
        `validating ${method.toUpperCase()} ${concretePath} (${op.operationId}): status ${key} is not documented; documented: ${op.statuses.join(', ')}`,
      );
    }
    const content = (response as { content?: Record<string, { schema?: unknown }> }).content;
    const json = content?.['application/json'];
    if (json?.schema === undefined) {
      // Nothing to check (e.g. a binary media body or a response without a body).
      return publicView(op);
    }
    return this.#check(op, status, body, `${ref}/content/application~1json/schema`, method, concretePath);
  }

  #check(
    op: IndexedOperation,
    status: number,
    body: unknown,
    ref: string,
    method: string,
    concretePath: string,
  ): SpecOperation {
    let validate = this.#compiled.get(ref);
    if (validate === undefined) {
      validate = this.#ajv.compile({ $ref: ref });
      this.#compiled.set(ref, validate);
    }
    if (!validate(body)) {
      const violations = (validate.errors ?? []).map(formatError);
      throw new SpecViolationError(
        `response to ${method.toUpperCase()} ${concretePath} (${op.operationId}) with status ${status} does not match the spec:\n  - ${violations.join('\n  - ')}\nbody: ${JSON.stringify(body).slice(0, 2000)}`,
        violations,
      );
    }
    return publicView(op);
  }
}

let shared: SpecValidator | undefined;

/** The process-wide validator over the client-server API (loaded on first use, ~1 s). */
export function specValidator(): SpecValidator {
  shared ??= new SpecValidator();
  return shared;
}

/** Validates a response against the client-server spec; throws a readable error listing violations. */
export function validateResponse(
  method: string,
  path: string,
  status: number,
  body: unknown,
): SpecOperation {
  return specValidator().validateResponse(method, path, status, body);
}

/** The client-server spec operation matching a method and concrete path, or undefined. */
export function findOperation(method: string, path: string): SpecOperation | undefined {
  return specValidator().findOperation(method, path);
}
