// Self-signed TLS certificates for tests, made with the openssl CLI: one key and certificate
// valid for `localhost` and 127.0.0.1 (and any extra names). The certificate is its own CA, so a
// peer that lists it in federation_custom_ca_list verifies it like a real one.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TestCertificate {
  readonly certificatePath: string;
  readonly privateKeyPath: string;
}

export interface TestCertificateOptions {
  /** DNS names besides `localhost`. Default: none. */
  readonly dnsNames?: readonly string[];
  /** File name prefix inside `dir`. Default: 'tls'. */
  readonly name?: string;
}

/** Writes `<name>.crt` and `<name>.key` into `dir`. */
export async function createTestCertificate(dir: string, options: TestCertificateOptions = {}): Promise<TestCertificate> {
  const name = options.name ?? 'tls';
  const certificatePath = join(dir, `${name}.crt`);
  const privateKeyPath = join(dir, `${name}.key`);
  const san = ['DNS:localhost', ...(options.dnsNames ?? []).map((n) => `DNS:${n}`), 'IP:127.0.0.1', 'IP:::1'].join(',');
  await run('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '7',
    '-subj', '/CN=localhost', '-addext', `subjectAltName=${san}`,
    '-keyout', privateKeyPath, '-out', certificatePath,
  ]);
  return { certificatePath, privateKeyPath };
}
