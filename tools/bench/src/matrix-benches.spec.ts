// The pure-core benchmarks are commands: this checks they run and print their figures on a
// small input (no timing is asserted; the numbers are for people).
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const bench = (name: string) => fileURLToPath(new URL(`./${name}`, import.meta.url));

describe('matrix core benchmarks', () => {
  it('matrix-hashing-bench prints throughput and peak memory', async () => {
    const { stdout } = await run(process.execPath, [bench('matrix-hashing-bench.ts'), '--events=500']);
    expect(stdout).toMatch(/content hash .* ev\/s/);
    expect(stdout).toMatch(/RSS/i);
  });

  it('matrix-state-bench prints the auth chain figures', async () => {
    const { stdout } = await run(process.execPath, [bench('matrix-state-bench.ts'), 'chain']);
    expect(stdout).toMatch(/ms/);
    expect(stdout).toMatch(/RSS/i);
  });
});
