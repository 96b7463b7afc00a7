// The server's signing key file, in Synapse's format (`ed25519 <version> <seed>` per line);
// generated on first start so a fresh folder gives a fresh, self-contained server.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { SigningKey, formatSigningKeyFile, parseSigningKeyFile } from '@homeserver/matrix';

export async function loadOrCreateSigningKey(path: string): Promise<SigningKey> {
  let text: string | undefined;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (text !== undefined) {
    const [key] = parseSigningKeyFile(text);
    if (key === undefined) throw new Error(`signing key file ${path} holds no ed25519 key`);
    return key;
  }
  // Synapse's shape: a_ plus four letters or digits (key versions allow only [A-Za-z0-9_]).
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const version = `a_${[...randomBytes(4)].map((b) => alphabet[b % alphabet.length]).join('')}`;
  const key = SigningKey.fromSeed(randomBytes(32), version);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, formatSigningKeyFile([key]), { mode: 0o600, flag: 'wx' });
  return key;
}
