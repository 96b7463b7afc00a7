// Loads matrix-appservice-bridge for the tests. Its bot SDK requires the end-to-end encryption
// binding (@matrix-org/matrix-sdk-crypto-nodejs) at load time, whose native library is fetched
// from GitHub by a postinstall script: that cannot run here (no network but the registries), and
// the tests do not use encryption. A module hook answers that one require with a stub whose
// classes throw if anything ever constructs them, so a bridge that tried encryption would fail
// loudly instead of silently.
import { registerHooks } from 'node:module';

const STUB_URL = 'homeserver-test-stub:matrix-sdk-crypto-nodejs';
const STUB_SOURCE =
  'module.exports = new Proxy({}, { get: (_t, key) => key === "__esModule" ? false : class EncryptionUnavailable { constructor() { throw new Error("end-to-end encryption is not available to this test bridge"); } } });';

let hooked = false;

export async function loadBridgeLibrary(): Promise<typeof import('matrix-appservice-bridge')> {
  if (!hooked) {
    hooked = true;
    registerHooks({
      resolve: (specifier, context, next) => (specifier === '@matrix-org/matrix-sdk-crypto-nodejs' ? { url: STUB_URL, format: 'commonjs', shortCircuit: true } : next(specifier, context)),
      load: (url, context, next) => (url === STUB_URL ? { format: 'commonjs', source: STUB_SOURCE, shortCircuit: true } : next(url, context)),
    });
  }
  return import('matrix-appservice-bridge');
}
