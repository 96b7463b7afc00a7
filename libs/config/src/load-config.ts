// Loads homeserver.yaml (+ per-worker files), validates, and resolves defaults and paths.
// Later files override earlier ones key by key at the top level, as Synapse merges them.
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from './config-error.ts';
import { resolveConfig, type HomeserverConfig } from './resolve-config.ts';
import { HomeserverConfigSchema } from './schema.ts';
import { validateConfig } from './validate.ts';

export interface LoadConfigOptions {
  /** Receives one line per unknown top-level key. Default: ignore. */
  readonly warn?: (message: string) => void;
}

export async function readConfigFile(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read config file ${path}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (error) {
    throw new ConfigError(`config file ${path} is not valid YAML: ${(error as Error).message}`);
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError(`config file ${path} must hold a mapping of keys to values, not ${Array.isArray(parsed) ? 'a list' : typeof parsed}`);
  }
  return parsed as Record<string, unknown>;
}

/** Loads and merges the files; relative paths in the config resolve against the first file's folder. */
export async function loadConfig(paths: readonly string[], options: LoadConfigOptions = {}): Promise<HomeserverConfig> {
  if (paths.length === 0) throw new ConfigError('no config file given; pass -c/--config-path FILE');
  const absolute = paths.map((p) => (isAbsolute(p) ? p : resolve(p)));
  const merged: Record<string, unknown> = {};
  for (const path of absolute) Object.assign(merged, await readConfigFile(path));
  const known = new Set(Object.keys(HomeserverConfigSchema.properties));
  for (const key of Object.keys(merged)) {
    if (!known.has(key)) options.warn?.(`config key ${JSON.stringify(key)} is not used by this homeserver; ignoring it`);
  }
  const file = validateConfig(merged, absolute.join(' + '));
  return resolveConfig(file, { configDir: dirname(absolute[0]!) });
}
