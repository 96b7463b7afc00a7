// Spawns a fixture script as its own OS process (the Node 24 running the tests) and reads the
// JSON lines it reports. Children are SIGKILLed if the test process exits first.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FixtureConfig } from './fixtures/fixture-config.ts';

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export class FixtureProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly events: Array<{ event: string; [key: string]: unknown }> = [];
  stderr = '';
  #exited: Promise<number | null>;

  constructor(script: string, config: FixtureConfig) {
    this.name = script;
    const path = fileURLToPath(new URL(`./fixtures/${script}.ts`, import.meta.url));
    this.child = spawn(process.execPath, [path, JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'pipe'] });
    live.add(this.child);
    let buffered = '';
    this.child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        if (line.trim() !== '') this.events.push(JSON.parse(line) as { event: string });
      }
    });
    this.child.stderr!.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString('utf8')).slice(-20_000);
    });
    this.#exited = new Promise((resolve) => {
      this.child.once('exit', (code) => {
        live.delete(this.child);
        resolve(code);
      });
    });
  }

  /** Waits for a reported event; fails with the child's stderr if it exits or time runs out. */
  async waitForEvent(event: string, timeoutMs = 30_000): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find((e) => e.event === event);
      if (found) return found;
      if (this.child.exitCode !== null || this.child.signalCode !== null || Date.now() > deadline) {
        throw new Error(`${this.name} did not report "${event}" (exit ${this.child.exitCode ?? this.child.signalCode}); stderr:\n${this.stderr}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  kill(signal: NodeJS.Signals): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.#exited;
  }
}
