// Which npm packages a spawned app loaded: pass `nodeArgs` and `env` to the process, read
// `packages()` once it started. Used to keep heavy dependencies out of processes that do not
// need them (PGlite on PostgreSQL, sharp outside media work).
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
}

/** The package a module URL belongs to: the folder after its last node_modules, or undefined. */
export function packageOfModule(url: string): string | undefined {
  const at = url.lastIndexOf('/node_modules/');
  if (at < 0) return undefined;
  const [scope, name] = url.slice(at + '/node_modules/'.length).split('/');
  return scope?.startsWith('@') ? `${scope}/${name}` : scope;
}

export function recordLoadedPackages(): LoadedPackagesRecorder {
  const file = join(tmpdir(), `loaded-modules-${randomUUID()}.txt`);
  return {
    nodeArgs: ['--import', RECORDER],
    env: { LOADED_MODULES_FILE: file },
    async packages() {
      const urls = (await readFile(file, 'utf8')).split('\n').filter((line) => line !== '');
      return new Set(urls.map(packageOfModule).filter((name) => name !== undefined));
    },
  };
}
