// synadm (the Synapse admin CLI, from PyPI) in a virtualenv the tests make themselves: cached
// under $XDG_CACHE_HOME/homeserver-tests (default ~/.cache), outside the repository, so later
// runs reuse it. A machine without python3 or its venv module fails the test with that reason
// (tools/services/ensure-services.sh installs python3-venv); nothing is skipped silently.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The synadm release the tests were written against. */
export const SYNADM_VERSION = '0.49.2';

/** The synadm executable, installing it first when the cached venv lacks it. */
export async function ensureSynadm(): Promise<string> {
  const cache = join(process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'homeserver-tests');
  const venv = join(cache, `synadm-${SYNADM_VERSION}-venv`);
  const synadm = join(venv, 'bin', 'synadm');
  if (existsSync(synadm)) return synadm;
  await mkdir(cache, { recursive: true });
  try {
    await run('python3', ['-m', 'venv', venv], { timeout: 120_000 });
    await run(join(venv, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', `synadm==${SYNADM_VERSION}`], { timeout: 600_000 });
  } catch (error) {
    throw new Error(`cannot set up synadm ${SYNADM_VERSION} in ${venv} (python3 with venv and access to PyPI are needed; tools/services/ensure-services.sh installs python3-venv): ${(error as Error).message}`, { cause: error });
  }
  return synadm;
}
