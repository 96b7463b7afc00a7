// The start of every app. What must be fixed before a process runs its first line is applied
// here: V8's heap sizes from node_heap (the young generation's semi-space is sized when the
// isolate is created, so a process started without the flags replaces itself, same pid, with
// one started with them), and Node's compile cache (the TypeScript sources are stripped once,
// not on every start, and the stripper's own memory is never loaded). Only then are the role
// modules the app hosts imported, and the app run.
import { enableCompileCache } from 'node:module';
import { loadConfig, parseCommandLine, type HomeserverConfig, type RoleName } from '@homeserver/config';
import type { RoleModule } from '@homeserver/services';
import { configPathsFor } from './config-file.ts';

/** Set in the environment of the replacement process, so it never replaces itself again. */
const RELAUNCHED = 'HOMESERVER_HEAP_FLAGS_APPLIED';

/** The node flags node_heap asks for. */
export function heapFlags(config: Pick<HomeserverConfig, 'nodeHeap'>): string[] {
  const { maxSemiSpaceMiB, maxOldSpaceMiB } = config.nodeHeap;
  return [`--max-semi-space-size=${maxSemiSpaceMiB}`, ...(maxOldSpaceMiB === undefined ? [] : [`--max-old-space-size=${maxOldSpaceMiB}`])];
}

/** The flags of `wanted` this process was not started with. */
export function missingFlags(wanted: readonly string[], execArgv: readonly string[]): string[] {
  return wanted.filter((flag) => !execArgv.includes(flag));
}

async function configuredHeapFlags(app: RoleName): Promise<string[]> {
  try {
    const { configPaths } = parseCommandLine(process.argv.slice(2));
    const { paths } = await configPathsFor(app, configPaths, process.cwd());
    return heapFlags(await loadConfig(paths, { warn: () => {} }));
  } catch {
    // A bad command line or config is reported by the start proper, with its usual message.
    return [];
  }
}

/** Applies node_heap, then imports the app's role modules and runs it until SIGTERM/SIGINT. */
export async function launchApp(app: RoleName, loadModules: () => Promise<readonly RoleModule[]>): Promise<void> {
  enableCompileCache();
  const missing = missingFlags(await configuredHeapFlags(app), process.execArgv);
  // process.execve is missing where the OS has no execve (Windows): V8's defaults apply there.
  if (missing.length > 0 && process.env[RELAUNCHED] === undefined && process.execve !== undefined) {
    process.execve(process.execPath, [process.execPath, ...process.execArgv, ...missing, ...process.argv.slice(1)], { ...process.env, [RELAUNCHED]: '1' });
  }
  const { runApp } = await import('./run-app.ts');
  await runApp(app, await loadModules());
}
