// The build of every app: apps/<app>/src/main.ts and the workspace modules it imports become
// apps/<app>/dist/main.js and a few chunks (dynamic imports stay lazy, as chunks of their own);
// packages from node_modules stay imports, written as paths relative to the chunk, to the copy
// the importing module resolves to (two versions of one package can sit in one tree), except
// the Redis client, built in (BUILT_IN_PACKAGE).
//
// Why a build, when Node runs the TypeScript sources itself: a process holds every module it
// loaded (its record, scope and compiled code) and every compile-cache entry it read, for its
// whole life, and an app is ~300 small modules. Bundled into ~25 chunks, each worker measured
// 5-6 MiB less resident idle and main 10-13 MiB less (startup-rss-bench, same machine, same
// run), with V8's heap 2-3 MiB smaller. The same modules run: the tests, the benches and the
// images all start the bundles.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROLE_NAMES } from '@homeserver/config/role-names';
import type { Plugin, RolldownMagicString } from 'rolldown';

export const WORKSPACE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** What a bundle was built from: workspace-relative paths and their mtimes, the lockfile and this file included. */
const INPUTS_FILE = 'bundle-inputs.json';
const LOCK_STALE_MS = 120_000;

/** The apps (worker_app values), each apps/<app>/src/main.ts. */
export const APP_NAMES: readonly string[] = ROLE_NAMES;

/** Where an app's bundle is written: apps/<app>/dist, whose main.js `node` runs. */
export function bundleDir(app: string): string {
  return join(WORKSPACE_ROOT, 'apps', app, 'dist');
}

/** True when the bundle in `outDir` was built from the files as they are now (same paths, same mtimes). */
export function isBundleFresh(outDir: string): boolean {
  let inputs: Record<string, number>;
  try {
    inputs = (JSON.parse(readFileSync(join(outDir, INPUTS_FILE), 'utf8')) as { inputs: Record<string, number> }).inputs;
  } catch {
    return false;
  }
  return Object.entries(inputs).every(([path, mtime]) => statSync(join(WORKSPACE_ROOT, path), { throwIfNoEntry: false })?.mtimeMs === mtime);
}

const isPackageImport = (source: string) =>
  !source.startsWith('.') && !source.startsWith('/') && !source.startsWith('node:') && !source.startsWith('@homeserver/') && !source.startsWith('\0');

/**
 * The package built into the bundle instead of imported, as one chunk of that name. The Redis
 * client is 478 small modules, and a process holds every module it loaded for as long as
 * it runs; built in, it is one chunk, loaded only by a process on Redis (the adapter is imported
 * lazily). Measured (startup-rss-bench --transport=redis, same machine, alternated runs): every
 * worker 3-4 MiB less resident (sync 80-81 -> 77, federation reader 79 -> 76, persister 76 ->
 * 72-73, pusher 75-76 -> 72-73), main 95-97 -> 92. The NATS client built in the same way saved
 * nothing on NATS (its packages are 40 modules) and the federation sender measured 5 MiB more:
 * it stays a package.
 */
export const BUILT_IN_PACKAGE = { name: '@redis/client', chunk: 'redis-client', files: /[\\/]node_modules[\\/]@redis[\\/]client[\\/]/ } as const;

/** Whether an import specifier names the built-in package (or a file of it). */
const isBuiltIn = (source: string) => source === BUILT_IN_PACKAGE.name || source.startsWith(`${BUILT_IN_PACKAGE.name}/`);

/** The path from the chunks (all in `outDir`) to `file`, as an import specifier. */
function fromChunks(outDir: string, file: string): string {
  const path = relative(outDir, file).split(sep).join('/');
  return path.startsWith('../') ? path : `./${path}`;
}

/**
 * Leaves a package import an import, of the file the importing module resolves it to, by its
 * path from the chunks; but the built-in package (BUILT_IN_PACKAGE) is bundled. (An optional
 * package it imports that is not installed, @node-rs/xxhash for its unused `digest`, resolves
 * to nothing and stays as written: it fails only if that feature is ever used, as unbundled.)
 */
function packagesStayImports(outDir: string): Plugin {
  return {
    name: 'packages-stay-imports',
    async resolveId(source, importer, options) {
      if (importer === undefined || !isPackageImport(source)) return null;
      if (isBuiltIn(source)) return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      if (resolved === null || resolved.external !== false) return null;
      return { id: fromChunks(outDir, resolved.id), external: true };
    },
  };
}

/**
 * A module's import.meta.url stays its source file's URL (computed from the chunk's own, so the
 * tree can move): what it locates beside itself (migrations, a script it spawns, a package it
 * requires) is found as when the sources run.
 */
function importMetaOfSource(outDir: string, MagicString: new (code: string) => RolldownMagicString): Plugin {
  return {
    name: 'import-meta-of-source',
    transform(code, id) {
      if (id.includes(`${sep}node_modules${sep}`) || !code.includes('import.meta.url')) return null;
      const fromChunk = fromChunks(outDir, id);
      const edited = new MagicString(code);
      for (const found of code.matchAll(/\bimport\.meta\.url\b/g)) {
        edited.overwrite(found.index, found.index + found[0].length, `new URL(${JSON.stringify(fromChunk)}, import.meta.url).href`);
      }
      return { code: edited };
    },
  };
}

/** Builds the app's bundle into `outDir` afresh; the old one is replaced in one rename. */
export async function bundleApp(app: string, outDir = bundleDir(app)): Promise<void> {
  const { build, RolldownMagicString } = await import('rolldown');
  // Beside dist, at the same depth: the relative paths written into the chunks hold for both.
  const building = `${outDir}.${process.pid}.building`;
  rmSync(building, { recursive: true, force: true });
  const output = await build({
    input: join(WORKSPACE_ROOT, 'apps', app, 'src', 'main.ts'),
    platform: 'node',
    logLevel: 'warn',
    plugins: [packagesStayImports(outDir), importMetaOfSource(outDir, RolldownMagicString)],
    // keepNames: a function or class renamed apart from another of the same name keeps its own
    // `name` (what logs print as an error's type). V8 keeps each chunk's source text in the heap
    // for as long as the process runs, one byte a character unless a single character is beyond
    // Latin-1, and then two for the whole chunk: no comment is kept (doc comments were a seventh
    // of the bytes) and non-ASCII characters are written as escapes (one "—" in a comment or a
    // "…" in a message doubled the two largest chunks of main: 1.56 MiB of its heap, 0.71 now).
    output: {
      dir: building,
      format: 'esm',
      entryFileNames: 'main.js',
      chunkFileNames: '[name]-[hash].js',
      sourcemap: true,
      keepNames: true,
      comments: false,
      charset: 'ascii',
      codeSplitting: { groups: [{ name: BUILT_IN_PACKAGE.chunk, test: BUILT_IN_PACKAGE.files }] },
    },
  });
  const inputs: Record<string, number> = {};
  const note = (path: string) => (inputs[relative(WORKSPACE_ROOT, path).split(sep).join('/')] = statSync(path).mtimeMs);
  for (const chunk of output.output) {
    if (chunk.type !== 'chunk') continue;
    for (const id of chunk.moduleIds) if (id.startsWith(WORKSPACE_ROOT) && !id.includes(`${sep}node_modules${sep}`)) note(id);
  }
  note(join(WORKSPACE_ROOT, 'package-lock.json'));
  note(fileURLToPath(import.meta.url));
  writeFileSync(join(building, INPUTS_FILE), JSON.stringify({ inputs }, null, 1));
  const replaced = `${outDir}.${process.pid}.replaced`;
  if (existsSync(outDir)) renameSync(outDir, replaced);
  renameSync(building, outDir);
  rmSync(replaced, { recursive: true, force: true });
}

/**
 * Builds the apps whose bundle is missing or stale (all of `apps` when `force`), one process at
 * a time across the machine (test runs start apps from many processes at once): the others wait,
 * then find the bundle fresh. Returns the apps built.
 */
export async function ensureBundles(apps: readonly string[], { force = false } = {}): Promise<string[]> {
  if (!force && apps.every((app) => isBundleFresh(bundleDir(app)))) return [];
  const lock = join(WORKSPACE_ROOT, 'apps', '.bundle-lock');
  await acquire(lock);
  try {
    const built: string[] = [];
    for (const app of apps) {
      if (!force && isBundleFresh(bundleDir(app))) continue;
      await bundleApp(app);
      built.push(app);
    }
    return built;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

async function acquire(lock: string): Promise<void> {
  for (;;) {
    try {
      mkdirSync(lock);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    // A builder that died leaves its lock: taken over once no build could still be running.
    const since = statSync(lock, { throwIfNoEntry: false })?.mtimeMs;
    if (since !== undefined && Date.now() - since > LOCK_STALE_MS) rmSync(lock, { recursive: true, force: true });
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
