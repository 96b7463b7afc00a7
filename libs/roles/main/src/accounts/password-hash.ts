// Password hashing with scrypt (node:crypto): `scrypt$N$r$p$salt$hash`, base64. Parameters are
// stored with each hash so they can be raised later without breaking old ones.
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

export interface PasswordHashOptions {
  /** CPU/memory cost (a power of two). Default: 32768; tests use less. */
  readonly cost?: number;
}

function derive(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, 32, { N: n, r, p, maxmem: 256 * n * r + 1024 * 1024 }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

export async function hashPassword(password: string, options: PasswordHashOptions = {}): Promise<string> {
  const n = options.cost ?? 32768;
  const salt = randomBytes(16);
  const key = await derive(password, salt, n, 8, 1);
  return `scrypt$${n}$8$1$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** Constant-time check of a password against a stored hash; false for unknown formats. */
export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  if (stored === null) return false;
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || hash === undefined || salt === undefined) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await derive(password, Buffer.from(salt, 'base64'), Number(n), Number(r), Number(p));
  return key.length === expected.length && timingSafeEqual(key, expected);
}
