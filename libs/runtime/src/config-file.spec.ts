import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configPathsFor } from './config-file.ts';

describe('configPathsFor', () => {
  it('writes the default homeserver.yaml (with its registration secret) readable by its owner only, once', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'hs-config-file-'));
    try {
      const first = await configPathsFor('main', [], cwd);
      expect(first.created).toBe(join(cwd, 'data', 'homeserver.yaml'));
      expect(await readFile(first.created!, 'utf8')).toMatch(/^registration_shared_secret: "[A-Za-z0-9_-]{32}"$/m);
      expect((await stat(first.created!)).mode & 0o777).toBe(0o600);
      const again = await configPathsFor('main', [], cwd);
      expect(again).toEqual({ paths: [first.created], created: undefined });
    } finally {
      await rm(cwd, { recursive: true, force: true });
    }
  });

  it('uses the files given and asks workers for theirs', async () => {
    expect(await configPathsFor('sync', ['a.yaml', 'b.yaml'], '/nowhere')).toEqual({ paths: ['a.yaml', 'b.yaml'], created: undefined });
    await expect(configPathsFor('sync', [], '/nowhere')).rejects.toThrow(/needs its config/);
  });
});
