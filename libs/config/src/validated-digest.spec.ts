// The digest a start validated the config under lets its replacement skip the schema only for
// exactly those bytes: an edited file is validated again, bad values refused as usual.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, loadConfigWithDigest } from './index.ts';

async function configFile(text: string): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'hs-config-')), 'homeserver.yaml');
  await writeFile(path, text);
  return path;
}

describe('validatedDigest', () => {
  it('gives the same config, and no second round of warnings, for the files it was computed on', async () => {
    const path = await configFile('server_name: example.org\nenable_registration: true\nsome_synapse_key: 1\n');
    const warned: string[] = [];
    const first = await loadConfigWithDigest([path], { warn: (m) => warned.push(m) });
    expect(warned).toEqual(['config key "some_synapse_key" is not used by this homeserver; ignoring it']);
    const again: string[] = [];
    const second = await loadConfigWithDigest([path], { warn: (m) => again.push(m), validatedDigest: first.digest });
    expect(second.digest).toBe(first.digest);
    expect(second.config).toEqual(first.config);
    expect(again).toEqual([]);
  });

  it('validates files that changed since, whatever digest it is given', async () => {
    const path = await configFile('server_name: example.org\n');
    const { digest } = await loadConfigWithDigest([path]);
    await writeFile(path, 'server_name: example.org\nenable_registration: "yes"\n');
    await expect(loadConfig([path], { validatedDigest: digest })).rejects.toThrow(/key "enable_registration" has value "yes"/);
  });

  it('differs when the same contents come from other files', async () => {
    const a = await configFile('server_name: example.org\n');
    const b = await configFile('server_name: example.org\n');
    expect((await loadConfigWithDigest([a])).digest).not.toBe((await loadConfigWithDigest([b])).digest);
  });
});
