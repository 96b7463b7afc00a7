// Runs one of the apps as a real OS process (Node 24 on its bundle, app-entry.ts), waits for its
// "started" log line, and hands back its listener addresses, its output and a way to stop it.
import { spawn, type ChildProcess } from 'node:child_process';
import { appEntry, WORKSPACE_ROOT } from './app-entry.ts';

export interface AppProcessOptions {
  /** Config files passed as -c, in order. */
  readonly configFiles: readonly string[];
  /** Working directory. Default: the workspace root. */
  readonly cwd?: string;
  /** Extra arguments after the -c files. Default: none. */
  readonly extraArgs?: readonly string[];
  /** Node flags before the entry script (e.g. `--import` of a recorder). Default: none. */
  readonly nodeArgs?: readonly string[];
  /** Variables added to the inherited environment. Default: none. */
  readonly env?: Readonly<Record<string, string>>;
  /** Give up waiting for "started" after this long. Default: 120 s (PGlite boots slowly on busy machines). */
  readonly startTimeoutMs?: number;
}

export interface AppProcess {
  readonly child: ChildProcess;
  readonly addresses: readonly { host: string; port: number }[];
  /** Every JSON log line so far. */
  readonly logs: Record<string, unknown>[];
  /** Sends the signal and resolves with the exit code (or the signal name). */
  stop(signal?: NodeJS.Signals): Promise<number | string>;
}

export interface AppExit {
  readonly code: number | null;
  readonly output: string;
  /** The `msg` of each JSON log line, and every other line as is: what an admin reads. */
  readonly messages: string;
}

function readableMessages(output: string): string {
  return output
    .split('\n')
    .map((line) => {
      try {
        return String((JSON.parse(line) as { msg?: unknown }).msg ?? '');
      } catch {
        return line;
      }
    })
    .join('\n');
}

function args(app: string, options: AppProcessOptions): string[] {
  return [...(options.nodeArgs ?? []), appEntry(app), ...options.configFiles.flatMap((f) => ['-c', f]), ...(options.extraArgs ?? [])];
}

/** Runs an app expected to exit on its own (e.g. with a bad config); resolves with code and output. */
export function runAppToExit(app: string, options: AppProcessOptions): Promise<AppExit> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args(app, options), { cwd: options.cwd ?? WORKSPACE_ROOT, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${app} did not exit within ${options.startTimeoutMs ?? 120_000} ms; output:\n${output}`));
    }, options.startTimeoutMs ?? 120_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output, messages: readableMessages(output) });
    });
  });
}

/** Starts an app and waits until it listens. Fails with its output if it exits first. */
export function startAppProcess(app: string, options: AppProcessOptions): Promise<AppProcess> {
  const child = spawn(process.execPath, args(app, options), { cwd: options.cwd ?? WORKSPACE_ROOT, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const logs: Record<string, unknown>[] = [];
  let output = '';
  let buffered = '';
  // Never leave an app running after the test process ends, whatever the test did.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise<number | string>((resolve) =>
    child.on('exit', (code, signal) => {
      process.off('exit', killOnExit);
      resolve(code ?? signal ?? 'unknown');
    }),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${app} did not start within ${options.startTimeoutMs ?? 120_000} ms; output:\n${output}`));
    }, options.startTimeoutMs ?? 120_000);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      output += text;
      buffered += text;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        let parsed: Record<string, unknown>;
        try {
          parsed = JSON.parse(line) as Record<string, unknown>;
        } catch {
          continue;
        }
        logs.push(parsed);
        if (parsed.msg === 'started') {
          clearTimeout(timer);
          resolve({
            child,
            logs,
            addresses: parsed.addresses as { host: string; port: number }[],
            stop: async (signal = 'SIGTERM') => {
              if (child.exitCode === null && child.signalCode === null) child.kill(signal);
              return exited;
            },
          });
        }
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${app} exited with ${code} before it started; output:\n${output}`));
    });
  });
}
