// Turns schema violations into messages an admin can act on: key, value, expectation.
import Value from 'typebox/value';
import { ConfigError } from './config-error.ts';
import { HomeserverConfigSchema, type HomeserverConfigFile } from './schema.ts';

interface SchemaError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message: string;
}

function keyName(instancePath: string): string {
  const parts = instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  return parts.reduce((name, part) => (/^\d+$/.test(part) ? `${name}[${part}]` : name ? `${name}.${part}` : part), '');
}

function valueAt(root: unknown, instancePath: string): unknown {
  let value = root;
  for (const part of instancePath.split('/').slice(1)) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return value;
}

function expectation(errors: SchemaError[]): string {
  const allowed = errors.filter((e) => e.keyword === 'const').map((e) => JSON.stringify(e.params.allowedValue));
  if (allowed.length > 0) return `one of ${allowed.join(', ')}`;
  const extra = errors.find((e) => e.keyword === 'additionalProperties');
  if (extra) return `no key ${JSON.stringify((extra.params.additionalProperties as string[])[0])} here (unknown key)`;
  const required = errors.find((e) => e.keyword === 'required');
  if (required) return `the key(s) ${JSON.stringify(required.params.requiredProperties ?? required.params)} to be present`;
  const specific = errors.find((e) => e.keyword !== 'anyOf' && e.keyword !== 'boolean') ?? errors[0];
  return specific ? specific.message.replace(/^must (be )?/, '') : 'a valid value';
}

/** Validates a merged config object; throws one ConfigError listing every problem. */
export function validateConfig(value: unknown, source: string): HomeserverConfigFile {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError(`${source}: the configuration must be a YAML mapping of keys to values, got ${JSON.stringify(value)}`);
  }
  const errors = [...Value.Errors(HomeserverConfigSchema, value)] as unknown as SchemaError[];
  if (errors.length === 0) return value as HomeserverConfigFile;
  const byPath = new Map<string, SchemaError[]>();
  for (const error of errors) {
    // "schema is false" errors duplicate the additionalProperties one on the parent.
    if (error.keyword === 'boolean') continue;
    const list = byPath.get(error.instancePath) ?? [];
    list.push(error);
    byPath.set(error.instancePath, list);
  }
  const lines = [...byPath].map(([path, list]) => {
    if (list.some((e) => e.keyword === 'required')) {
      const missing = list.find((e) => e.keyword === 'required')?.params.requiredProperties;
      return `key ${JSON.stringify(keyName(path) || '(top level)')}: missing required key(s) ${JSON.stringify(missing)}`;
    }
    return `key ${JSON.stringify(keyName(path))} has value ${JSON.stringify(valueAt(value, path))}: expected ${expectation(list)}`;
  });
  throw new ConfigError(`${source}: invalid configuration:\n  ${lines.join('\n  ')}`);
}
