// The start of every app. What must be fixed before a process runs its first line is applied
// here: V8's heap sizes from node_heap (the young generation's semi-space is sized when the
// isolate is created, so a process started without the flags replaces itself, same pid, with
// one started with them), glibc's malloc arenas (read from the environment once, when the
// allocator starts), and Node's compile cache (V8's compiled code of the app's bundle is kept
// between starts; a process run from the TypeScript sources, which the bundle makes the
// exception, also strips them once, not on every start). For the sources the cache must be on
// from the process's first line: the first module Node strips itself loads its TypeScript
// stripper (a WASM build, ~17 MiB resident for good), and main.ts and this file are loaded
// before any code can turn the cache on. So the replacement process is started with
// NODE_COMPILE_CACHE set, and a process whose cache was not on from its start replaces itself
// too. Only then are the role modules the app hosts imported, and the app run.
import { constants, enableCompileCache, flushCompileCache } from 'node:module';
import { loadConfigWithDigest, parseCommandLine, type HomeserverConfig, type RoleName } from '@homeserver/config';
import type { RoleModule } from '@homeserver/services';
import { configPathsFor } from './config-file.ts';

/** Set in the environment of the replacement process, so it never replaces itself again. */
const RELAUNCHED = 'HOMESERVER_HEAP_FLAGS_APPLIED';
/**
 * The digest of the config files the replaced process validated: the replacement reading the
 * same bytes skips the schema (TypeBox is then never loaded in the serving process). Anyone able
 * to set it could as well edit the files; a changed file has another digest and is validated.
 */
const CONFIG_VALIDATED = 'HOMESERVER_CONFIG_VALIDATED';
/**
 * The merged contents of those files (JSON), so the replacement neither reads nor parses them
 * again: the YAML parser (~1 MiB of heap) is then never loaded in the serving process. Taken out
 * of the environment as the replacement starts, so no child process inherits it; left out when
 * too large for one environment string (the files are then read as usual).
 */
const CONFIG_CONTENTS = 'HOMESERVER_CONFIG_CONTENTS';
const MAX_CONTENTS_CHARS = 100_000;

/** The contents the replaced process passed (read once, then removed from the environment). */
const passedContents = ((): Record<string, unknown> | undefined => {
  const json = process.env[CONFIG_CONTENTS];
  delete process.env[CONFIG_CONTENTS];
  if (json === undefined) return undefined;
  try {
    return JSON.parse(json) as Record<string, unknown>;
  } catch {
    return undefined;
  }
})();

/** The node flags node_heap asks for. */
export function heapFlags(config: Pick<HomeserverConfig, 'nodeHeap'>): string[] {
  const { maxSemiSpaceMiB, maxOldSpaceMiB, optimizeForSize } = config.nodeHeap;
  return [
    `--max-semi-space-size=${maxSemiSpaceMiB}`,
    ...(maxOldSpaceMiB === undefined ? [] : [`--max-old-space-size=${maxOldSpaceMiB}`]),
    // V8's memory reducer then shrinks the heap of a process gone quiet (its own rule waits for
    // a low allocation rate, which the timers of an idle server never let it see), and the heap
    // grows by smaller steps: measured, the monolith's heap after a load goes from ~130 MiB
    // committed for ~47 MiB live to ~50 MiB, for ~50% more server CPU per sent message.
    ...(optimizeForSize ? ['--optimize-for-size'] : []),
  ];
}

/**
 * The environment node_heap asks for. glibc gives each thread that allocates while another
 * holds the lock an arena of its own (up to 8 per core), and keeps what is freed there for
 * good: V8's background threads compiling PGlite's WebAssembly left ~90 MiB in four arenas.
 * One arena reuses that memory and gives the top back; the threads that share it allocate
 * little (measured on the PGlite monolith: RSS 30 s after client-api-bench's load 333 -> 249
 * MiB, server CPU per message unchanged within the run's noise). Other C libraries ignore it.
 */
export function heapEnvironment(config: Pick<HomeserverConfig, 'nodeHeap'>): Record<string, string> {
  const arenas = config.nodeHeap.mallocArenaMax;
  return arenas === 0 ? {} : { MALLOC_ARENA_MAX: String(arenas) };
}

/** The variables of `wanted` this process's environment lacks (empty counts as unset; one set by the admin stays theirs). */
export function missingEnvironment(wanted: Readonly<Record<string, string>>, env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(wanted).filter(([name]) => (env[name] ?? '') === ''));
}

/** The flags of `wanted` this process was not started with. */
export function missingFlags(wanted: readonly string[], execArgv: readonly string[]): string[] {
  return wanted.filter((flag) => !execArgv.includes(flag));
}

interface CheckedConfig {
  readonly flags: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  /** What the replacement is told it need not validate again (undefined: the config is bad). */
  readonly digest?: string;
  /** The contents that digest covers. */
  readonly contents?: Record<string, unknown>;
  /** The unknown-key warnings, given by this process when it is the one that validated. */
  readonly warnings: readonly string[];
}

async function checkConfig(app: RoleName): Promise<CheckedConfig> {
  try {
    const { configPaths } = parseCommandLine(process.argv.slice(2));
    const { paths } = await configPathsFor(app, configPaths, process.cwd());
    const warnings: string[] = [];
    // In the replacement, the files the replaced process validated are not validated again.
    const validated = process.env[CONFIG_VALIDATED];
    const { config, digest, contents } = await loadConfigWithDigest(paths, {
      warn: (message) => warnings.push(message),
      ...(validated === undefined ? {} : { validatedDigest: validated }),
      ...(passedContents === undefined ? {} : { validatedContents: passedContents }),
    });
    return { flags: heapFlags(config), env: heapEnvironment(config), digest, contents, warnings };
  } catch {
    // A bad command line or config is reported by the start proper, with its usual message.
    return { flags: [], env: {}, warnings: [] };
  }
}

/**
 * The compile cache folder a replacement process should be started with (NODE_COMPILE_CACHE),
 * when this one's cache was turned on late; undefined when it was on from the start (or is off).
 */
export function lateCompileCache(env: NodeJS.ProcessEnv, enabled: { status: number; directory?: string }): string | undefined {
  if (env.NODE_COMPILE_CACHE !== undefined || env.NODE_DISABLE_COMPILE_CACHE !== undefined) return undefined;
  return enabled.status === constants.compileCacheStatus.ENABLED ? enabled.directory : undefined;
}

function contentsEnvironment(contents: Record<string, unknown> | undefined): Record<string, string> {
  const json = contents === undefined ? undefined : JSON.stringify(contents);
  return json === undefined || json.length > MAX_CONTENTS_CHARS ? {} : { [CONFIG_CONTENTS]: json };
}

/** Applies node_heap, then imports the app's role modules and runs it until SIGTERM/SIGINT. */
export async function launchApp(app: RoleName, loadModules: () => Promise<readonly RoleModule[]>): Promise<void> {
  const cacheFolder = lateCompileCache(process.env, enableCompileCache());
  const checked = await checkConfig(app);
  const missing = missingFlags(checked.flags, process.execArgv);
  const missingEnv = missingEnvironment(checked.env, process.env);
  // process.execve is missing where the OS has no execve (Windows): V8's defaults apply there.
  const relaunch = missing.length > 0 || Object.keys(missingEnv).length > 0 || cacheFolder !== undefined;
  if (relaunch && process.env[RELAUNCHED] === undefined && process.execve !== undefined) {
    // What this process stripped so far (main.ts, this file, the config loader) is written now,
    // so the replacement finds it cached.
    flushCompileCache();
    if (checked.warnings.length > 0) {
      // Same stream and shape as the start's own warnings: the replacement will not repeat them.
      const logger = (await import('pino')).pino({ base: { worker_app: app } });
      for (const warning of checked.warnings) logger.warn(warning);
      logger.flush();
    }
    const env = {
      ...process.env,
      ...missingEnv,
      [RELAUNCHED]: '1',
      ...(cacheFolder === undefined ? {} : { NODE_COMPILE_CACHE: cacheFolder }),
      ...(checked.digest === undefined ? {} : { [CONFIG_VALIDATED]: checked.digest }),
      ...contentsEnvironment(checked.contents),
    };
    process.execve(process.execPath, [process.execPath, ...process.execArgv, ...missing, ...process.argv.slice(1)], env);
  }
  const { runApp } = await import('./run-app.ts');
  await runApp(app, await loadModules(), { validatedConfigDigest: process.env[CONFIG_VALIDATED], validatedConfigContents: checked.contents });
  // The role modules stripped during this start are cached for the next one.
  flushCompileCache();
}
