// What the v1.19 spec says a request to one operation looks like: whether it needs an access
// token, the top-level fields of its JSON body (type, required) with an example body, and its
// typed query parameters. Read from the vendored OpenAPI files, following `$ref`s across files.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findOperation, type SpecOperation } from '@homeserver/testing';
import jsYaml from 'js-yaml';

const SPEC_API_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../../../shared/matrix-spec/data/api');

type Json = Record<string, unknown>;

export interface BodyField {
  readonly name: string;
  /** JSON type the spec declares (`string`, `integer`, `object`, ...); undefined when it gives none. */
  readonly type: string | undefined;
  readonly required: boolean;
}

export interface QueryParam {
  readonly name: string;
  readonly type: string | undefined;
  readonly required: boolean;
  /** The spec's example value, or a placeholder of the declared type. */
  readonly example: string;
}

export interface RequestSpec {
  readonly operationId: string;
  /** True when the spec lists no anonymous (`{}`) security alternative. */
  readonly requiresAuth: boolean;
  /** True when the operation declares a JSON object body. */
  readonly objectBody: boolean;
  readonly fields: readonly BodyField[];
  /** A body the spec offers as example (its own example or one built from required fields). */
  readonly exampleBody: Json;
  readonly query: readonly QueryParam[];
}

const documents = new Map<string, Json>();

function loadDocument(file: string): Json {
  let doc = documents.get(file);
  if (doc === undefined) {
    doc = jsYaml.load(readFileSync(file, 'utf8')) as Json;
    documents.set(file, doc);
  }
  return doc;
}

/** Follows `$ref`s (relative file and/or JSON pointer) until a plain node; returns it with its file. */
function deref(node: unknown, file: string): { node: Json; file: string } {
  let current = node as Json;
  let currentFile = file;
  for (let hops = 0; hops < 20 && typeof current?.['$ref'] === 'string'; hops += 1) {
    const [target = '', pointer = ''] = (current['$ref'] as string).split('#');
    if (target !== '') currentFile = resolve(dirname(currentFile), target);
    let resolved: unknown = loadDocument(currentFile);
    for (const part of pointer.split('/').filter((p) => p !== '')) {
      resolved = (resolved as Json)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    }
    current = resolved as Json;
  }
  return { node: current ?? {}, file: currentFile };
}

/** Top-level properties and required names of a schema, merging `allOf` branches. */
function collectObject(schema: unknown, file: string): { properties: Map<string, Json>; required: Set<string>; example?: Json } {
  const { node, file: at } = deref(schema, file);
  const properties = new Map<string, Json>();
  const required = new Set<string>((node['required'] as string[] | undefined) ?? []);
  for (const branch of (node['allOf'] as unknown[] | undefined) ?? []) {
    const merged = collectObject(branch, at);
    for (const [k, v] of merged.properties) properties.set(k, v);
    for (const r of merged.required) required.add(r);
  }
  for (const [name, prop] of Object.entries((node['properties'] as Json | undefined) ?? {})) {
    properties.set(name, deref(prop, at).node);
  }
  const example = node['example'];
  return { properties, required, example: example !== null && typeof example === 'object' && !Array.isArray(example) ? (example as Json) : undefined };
}

function declaredType(schema: Json): string | undefined {
  const type = schema['type'];
  if (typeof type === 'string') return type;
  if (Array.isArray(type) && type.length === 1 && typeof type[0] === 'string') return type[0];
  return undefined;
}

function placeholder(type: string | undefined): unknown {
  switch (type) {
    case 'string': return 'x';
    case 'integer':
    case 'number': return 1;
    case 'boolean': return true;
    case 'array': return [];
    default: return {};
  }
}

/**
 * The spec's view of `method` on a concrete path, or undefined when the spec has no such
 * operation. `lookup` finds the operation (default: the client-server API's).
 */
export function requestSpec(method: string, concretePath: string, lookup: (method: string, path: string) => SpecOperation | undefined = findOperation): RequestSpec | undefined {
  const op = lookup(method, concretePath);
  if (op === undefined) return undefined;
  const file = resolve(SPEC_API_DIR, op.file);
  const doc = loadDocument(file);
  const basePath = ((doc['servers'] as Json[] | undefined)?.[0]?.['variables'] as Json | undefined)?.['basePath'] as Json | undefined;
  const prefix = (basePath?.['default'] as string | undefined) ?? '';
  const paths = doc['paths'] as Json;
  const template = Object.keys(paths).find((t) => prefix + t === op.path);
  const operation = ((paths[template ?? ''] as Json | undefined)?.[method.toLowerCase()] ?? {}) as Json;
  const security = (operation['security'] as Json[] | undefined) ?? [];
  const requiresAuth = security.length > 0 && !security.some((s) => Object.keys(s).length === 0);

  const content = (deref(operation['requestBody'], file).node['content'] as Json | undefined)?.['application/json'] as Json | undefined;
  let objectBody = false;
  let fields: BodyField[] = [];
  let exampleBody: Json = {};
  if (content?.['schema'] !== undefined) {
    const schema = deref(content['schema'], file);
    objectBody = declaredType(schema.node) === 'object' || schema.node['properties'] !== undefined || schema.node['allOf'] !== undefined;
    if (objectBody) {
      const { properties, required, example } = collectObject(content['schema'], file);
      fields = [...properties].map(([name, prop]) => ({ name, type: declaredType(prop), required: required.has(name) }));
      const contentExample = content['example'];
      exampleBody = example ?? (contentExample !== null && typeof contentExample === 'object' && !Array.isArray(contentExample) ? (contentExample as Json) : {});
      for (const field of fields) {
        if (field.required && !(field.name in exampleBody)) exampleBody = { ...exampleBody, [field.name]: placeholder(field.type) };
      }
    }
  }
  const query: QueryParam[] = [];
  for (const raw of (operation['parameters'] as unknown[] | undefined) ?? []) {
    const { node } = deref(raw, file);
    if (node['in'] !== 'query') continue;
    const schema = deref(node['schema'], file).node;
    const type = declaredType(schema);
    const example = node['example'] ?? schema['example'] ?? (schema['enum'] as unknown[] | undefined)?.[0] ?? placeholder(type);
    query.push({ name: String(node['name']), type, required: node['required'] === true, example: String(example) });
  }
  return { operationId: op.operationId, requiresAuth, objectBody, fields, exampleBody, query };
}
