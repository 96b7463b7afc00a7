// Vitest global setup: every test run gets one private temporary directory (TMPDIR points at it
// for the test workers and every server process they spawn), removed when the run ends, so the
// config files, keys, media stores and databases that tests create never pile up in /tmp.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default async function setup(): Promise<() => Promise<void>> {
  const dir = await mkdtemp(join(tmpdir(), 'hs-test-run-'));
  process.env['TMPDIR'] = dir;
  return async () => {
    await rm(dir, { recursive: true, force: true });
  };
}
