// Shared machinery for throwaway server processes in tests: spawn a binary on a fixed port,
// wait until the port accepts connections, stop it, start it again on the same port.
// Children are killed when the test process exits, so a crashed test leaves no server behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The server binary a helper needs is not installed. */
export class ServerBinaryMissingError extends Error {
  override name = 'ServerBinaryMissingError';
  readonly binary: string;
  readonly debianPackage: string;
  constructor(binary: string, debianPackage: string) {
    super(`cannot start a test server: ${binary} is not installed or not executable; install the Debian package "${debianPackage}" (apt-get install ${debianPackage})`);
    this.binary = binary;
    this.debianPackage = debianPackage;
  }
}

/** The spawned server exited or did not open its port in time. */
export class ServerStartError extends Error {
  override name = 'ServerStartError';
}

const liveChildren = new Set<ChildProcess>();
const tempDirs = new Set<string>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // 'exit' handlers must be synchronous: SIGKILL needs no waiting.
  process.once('exit', () => {
    for (const child of liveChildren) child.kill('SIGKILL');
    for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  });
}

/** A temporary directory removed when the test process exits (it must outlive server restarts). */
export function tempDirUntilExit(prefix: string): string {
  installExitHook();
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

export function requireBinary(binary: string, debianPackage: string): void {
  try {
    accessSync(binary, constants.X_OK);
  } catch {
    throw new ServerBinaryMissingError(binary, debianPackage);
  }
}

/** A throwaway server process owned by one test file. */
export interface TestServer {
  /** Connection URL, e.g. nats://127.0.0.1:41234 or redis://127.0.0.1:41234. */
  readonly url: string;
  readonly port: number;
  /** Stops the process and waits until it has exited. */
  stop(): Promise<void>;
  /** Stops (if running) and starts the server again on the same port. */
  restart(): Promise<void>;
}

export interface SpawnedServerOptions {
  readonly binary: string;
  readonly args: readonly string[];
  readonly port: number;
  /** How long to wait for the port to accept connections. Default: 10000 ms. */
  readonly startTimeoutMs?: number;
}

/** One server process that can be stopped and started again on the same port. */
export class SpawnedServer {
  #options: SpawnedServerOptions;
  #child: ChildProcess | undefined;
  #output = '';

  constructor(options: SpawnedServerOptions) {
    this.#options = options;
  }

  get running(): boolean {
    return this.#child !== undefined;
  }

  async start(): Promise<void> {
    if (this.#child) return;
    installExitHook();
    const { binary, args, port } = this.#options;
    this.#output = '';
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.#child = child;
    liveChildren.add(child);
    // Keep only the tail of the output: enough to explain a failed start.
    const keep = (chunk: Buffer) => {
      this.#output = (this.#output + chunk.toString('utf8')).slice(-4000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    let exited: string | undefined;
    child.once('exit', (code, signal) => {
      exited = `exited with ${signal ?? `code ${code}`}`;
      liveChildren.delete(child);
      if (this.#child === child) this.#child = undefined;
    });
    const deadline = Date.now() + (this.#options.startTimeoutMs ?? 10_000);
    while (!(await portAccepts(port))) {
      if (exited !== undefined || Date.now() > deadline) {
        child.kill('SIGKILL');
        const why = exited ?? 'did not accept connections in time';
        throw new ServerStartError(`${binary} on port ${port} ${why}; output:\n${this.#output}`);
      }
      await sleep(25);
    }
  }

  /** Stops the process (SIGTERM, then SIGKILL after 5 s) and waits until it is gone. */
  async stop(): Promise<void> {
    const child = this.#child;
    if (!child) return;
    this.#child = undefined;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await gone;
    clearTimeout(force);
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function portAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      socket.destroy();
      resolve(false);
    });
  });
}
