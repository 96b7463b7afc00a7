// The federation keys: Synapse's defaults (but no default notary), relative paths, and every bad
// value refused naming its key.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_IP_RANGE_BLACKLIST, resolveFederationConfig } from './federation-config.ts';
import { loadConfig } from './load-config.ts';

describe('federation config', () => {
  it("has Synapse's defaults, with no trusted key server", () => {
    const config = resolveFederationConfig({}, '/etc/hs');
    expect(config).toEqual({
      oldSigningKeys: {},
      keyRefreshIntervalMs: 86_400_000,
      trustedKeyServers: [],
      verifyCertificates: true,
      customCaList: undefined,
      ipRangeBlacklist: DEFAULT_IP_RANGE_BLACKLIST,
      ipRangeWhitelist: [],
      domainWhitelist: undefined,
      tlsCertificatePath: undefined,
      tlsPrivateKeyPath: undefined,
    });
  });

  it('reads every key, resolving paths against the config folder', () => {
    const config = resolveFederationConfig(
      {
        old_signing_keys: { 'ed25519:old': { key: Buffer.alloc(32, 1).toString('base64').replace(/=+$/, ''), expired_ts: 5 } },
        key_refresh_interval: '2h',
        trusted_key_servers: [{ server_name: 'notary.example', verify_keys: { 'ed25519:n': 'abc' } }, { server_name: 'lax.example', accept_keys_insecurely: true }],
        federation_verify_certificates: false,
        federation_custom_ca_list: ['ca.pem'],
        ip_range_blacklist: ['10.0.0.0/8'],
        ip_range_whitelist: ['127.0.0.1', '::1/128'],
        federation_domain_whitelist: ['a.example'],
        tls_certificate_path: 'cert.pem',
        tls_private_key_path: '/abs/key.pem',
      },
      '/etc/hs',
    );
    expect(config.oldSigningKeys['ed25519:old']?.expiredTs).toBe(5);
    expect(config.keyRefreshIntervalMs).toBe(7_200_000);
    expect(config.trustedKeyServers).toEqual([{ serverName: 'notary.example', verifyKeys: { 'ed25519:n': 'abc' } }, { serverName: 'lax.example', verifyKeys: {} }]);
    expect(config.customCaList).toEqual(['/etc/hs/ca.pem']);
    expect(config.ipRangeWhitelist).toEqual(['127.0.0.1', '::1/128']);
    expect(config.domainWhitelist).toEqual(['a.example']);
    expect([config.tlsCertificatePath, config.tlsPrivateKeyPath]).toEqual(['/etc/hs/cert.pem', '/abs/key.pem']);
    expect(resolveFederationConfig({ federation_domain_whitelist: null }, '/').domainWhitelist).toBeUndefined();
  });

  it.each([
    [{ outbound_federation_restricted_to: [] }, 'key "outbound_federation_restricted_to" is an empty list'],
    [{ ip_range_blacklist: ['10.0.0.0/33'] }, 'key "ip_range_blacklist" has entry "10.0.0.0/33"'],
    [{ ip_range_whitelist: ['localhost'] }, 'key "ip_range_whitelist" has entry "localhost"'],
    [{ tls_certificate_path: 'c.pem' }, 'key "tls_private_key_path" is missing'],
    [{ trusted_key_servers: [{ server_name: 'n.example' }] }, 'key "trusted_key_servers[0].verify_keys" is missing'],
    [{ old_signing_keys: { nocolon: { key: 'AAAA', expired_ts: 1 } } }, 'key "old_signing_keys" has key ID "nocolon"'],
    [{ old_signing_keys: { 'ed25519:x': { key: 'AAAA', expired_ts: 1 } } }, 'key "old_signing_keys.ed25519:x.key"'],
  ])('refuses %j naming the key', (file, message) => {
    expect(() => resolveFederationConfig(file, '/')).toThrow(message);
  });

  it('refuses a tls listener without a certificate, and a malformed key from the file, naming the key', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hs-fedconfig-'));
    const path = join(dir, 'homeserver.yaml');
    await writeFile(path, 'server_name: a.example\nlisteners: [{port: 8448, type: http, tls: true, resources: [{names: [federation]}]}]\n');
    await expect(loadConfig([path])).rejects.toThrow('key "tls_certificate_path" is missing');
    await writeFile(path, 'server_name: a.example\nfederation_verify_certificates: "yes"\n');
    await expect(loadConfig([path])).rejects.toThrow('federation_verify_certificates');
  });
});
