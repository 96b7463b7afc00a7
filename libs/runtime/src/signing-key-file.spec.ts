import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOrCreateSigningKey } from './signing-key-file.ts';

describe('loadOrCreateSigningKey', () => {
  it('creates a Synapse-format key once and loads the same key afterwards', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'hs-key-')), 'keys', 'x.signing.key');
    const created = await loadOrCreateSigningKey(path);
    expect(created.keyId).toMatch(/^ed25519:a_[A-Za-z0-9]{4}$/);
    expect(await readFile(path, 'utf8')).toMatch(/^ed25519 a_[A-Za-z0-9]{4} [A-Za-z0-9+/]+\n?$/);
    const loaded = await loadOrCreateSigningKey(path);
    expect(loaded.keyId).toBe(created.keyId);
    expect([...loaded.publicKey]).toEqual([...created.publicKey]);
  });
});
