// Loads homeserver.yaml (+ per-worker files), validates, and resolves defaults and paths.
// Later files override earlier ones key by key at the top level, as Synapse merges them.
// The schema (TypeBox, ~20 MiB resident once loaded, for good) is imported only to validate:
// an app that replaces itself at start (libs/runtime launch.ts) validated the files before, and
// its replacement, given the digest of exactly what was validated, loads the same bytes without it.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { ConfigError } from './config-error.ts';
import { resolveConfig, type HomeserverConfig } from './resolve-config.ts';
import type { HomeserverConfigFile } from './schema.ts';

export interface LoadConfigOptions {
  /** Receives one line per unknown top-level key. Default: ignore. */
  readonly warn?: (message: string) => void;
  /**
   * The digest (LoadedConfig.digest) of files this process's own start already validated: when
   * the files read now have it, the schema check (and its warnings, already given) is skipped.
   * Default: always validate.
   */
  readonly validatedDigest?: string;
  /**
   * The merged contents (LoadedConfig.contents) that `validatedDigest` was computed over: when
   * they match it, the files are not read again, and the YAML parser is never loaded. Default:
   * read the files.
   */
  readonly validatedContents?: Record<string, unknown>;
}

export interface LoadedConfig {
  readonly config: HomeserverConfig;
  /** SHA-256 of the file paths and their merged contents, as validated. */
  readonly digest: string;
  /** The files' merged contents, as parsed (what the digest covers with the paths). */
  readonly contents: Record<string, unknown>;
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
    // Imported here: a process given its validated contents never loads the parser.
    const { parse } = await import('yaml');
    parsed = parse(text);
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
  return (await loadConfigWithDigest(paths, options)).config;
}

/** loadConfig, with the digest a later start can skip the schema check with. */
export async function loadConfigWithDigest(paths: readonly string[], options: LoadConfigOptions = {}): Promise<LoadedConfig> {
  if (paths.length === 0) throw new ConfigError('no config file given; pass -c/--config-path FILE');
  const absolute = paths.map((p) => (isAbsolute(p) ? p : resolve(p)));
  const digestOf = (contents: Record<string, unknown>) => createHash('sha256').update(JSON.stringify([absolute, contents])).digest('hex');
  const given = options.validatedContents;
  let merged: Record<string, unknown>;
  if (given !== undefined && digestOf(given) === options.validatedDigest) {
    merged = given;
  } else {
    merged = {};
    for (const path of absolute) Object.assign(merged, await readConfigFile(path));
  }
  const digest = digestOf(merged);
  const file = digest === options.validatedDigest ? (merged as HomeserverConfigFile) : await validated(merged, absolute.join(' + '), options);
  return { config: resolveConfig(file, { configDir: dirname(absolute[0]!) }), digest, contents: merged };
}

async function validated(merged: Record<string, unknown>, source: string, options: LoadConfigOptions): Promise<HomeserverConfigFile> {
  const [{ HomeserverConfigSchema }, { validateConfig }] = await Promise.all([import('./schema.ts'), import('./validate.ts')]);
  const known = new Set(Object.keys(HomeserverConfigSchema.properties));
  for (const key of Object.keys(merged)) {
    if (!known.has(key)) options.warn?.(`config key ${JSON.stringify(key)} is not used by this homeserver; ignoring it`);
  }
  return validateConfig(merged, source);
}
