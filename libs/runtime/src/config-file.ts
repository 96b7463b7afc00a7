// Finds the config to start with. `main` without -c uses ./data/homeserver.yaml, writing a
// default one there on first start; other apps must be told which files to load.
import { randomBytes } from 'node:crypto';
import { access, mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { defaultConfigYaml, type RoleName } from '@homeserver/config';

export const DEFAULT_DATA_DIR = 'data';

export async function configPathsFor(app: RoleName, given: readonly string[], cwd: string): Promise<{ paths: readonly string[]; created: string | undefined }> {
  if (given.length > 0) return { paths: given, created: undefined };
  if (app !== 'main') throw new Error(`the ${app} app needs its config: -c homeserver.yaml -c ${app}.yaml`);
  const path = resolve(cwd, DEFAULT_DATA_DIR, 'homeserver.yaml');
  try {
    await access(path);
    return { paths: [path], created: undefined };
  } catch {
    await mkdir(join(cwd, DEFAULT_DATA_DIR), { recursive: true });
    const secret = randomBytes(24).toString('base64url');
    // It holds registration_shared_secret (anyone who reads it can create admins): owner only.
    await writeFile(path, defaultConfigYaml({ registrationSharedSecret: secret }), { flag: 'wx', mode: 0o600 });
    return { paths: [path], created: path };
  }
}
