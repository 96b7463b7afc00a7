// Which npm packages, and which chunks of its bundle, a spawned app loaded: pass `nodeArgs` and
// `env` to the process, read `packages()` or `bundleChunks()` once it started. Used to keep heavy
// dependencies out of processes that do not need them (PGlite on PostgreSQL, sharp outside
// media work, the Redis client, built into the bundle, on NATS).
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';

const RECORDER = new URL('./record-module-loads.ts', import.meta.url).href;

export interface LoadedPackagesRecorder {
  /** Node flags that preload the recorder. */
  readonly nodeArgs: readonly string[];
  /** Environment additions telling the recorder where to write. */
  readonly env: Readonly<Record<string, string>>;
  /** Names of the packages loaded so far (`pg`, `@electric-sql/pglite`), from node_modules paths. */
  packages(): Promise<Set<string>>;
  /** Names of the chunks of the apps' bundles loaded so far (`redis-client`, `main`), from apps/<app>/dist paths. */
  bundleChunks(): Promise<Set<string>>;
}

/** The package a module URL belongs to: the folder after its last node_modules, or undefined. */
export function packageOfModule(url: string): string | undefined {
  const at = url.lastIndexOf('/node_modules/');
  if (at < 0) return undefined;
  const [scope, name] = url.slice(at + '/node_modules/'.length).split('/');
  return scope?.startsWith('@') ? `${scope}/${name}` : scope;
}

/**
 * The bundle chunk a module URL is, by name: apps/<app>/dist/<name>-<8-character hash>.js (the
 * bundle's chunkFileNames), or main.js; undefined for any other module.
 */
export function chunkOfModule(url: string): string | undefined {
  const file = /\/apps\/[^/]+\/dist\/([^/]+)\.js$/.exec(url)?.[1];
  return file === undefined || file === 'main' ? file : file.replace(/-[\w-]{8}$/, '');
}

export function recordLoadedPackages(): LoadedPackagesRecorder {
  const file = join(tmpdir(), `loaded-modules-${randomUUID()}.txt`);
  const loaded = async () => (await readFile(file, 'utf8')).split('\n').filter((line) => line !== '');
  return {
    nodeArgs: ['--import', RECORDER],
    env: { LOADED_MODULES_FILE: file },
    async packages() {
      return new Set((await loaded()).map(packageOfModule).filter((name) => name !== undefined));
    },
    async bundleChunks() {
      return new Set((await loaded()).map(chunkOfModule).filter((name) => name !== undefined));
    },
  };
}
