// Federation keys in Synapse's names: our signing-key rotation (old_signing_keys,
// key_refresh_interval), where other servers' keys come from (trusted_key_servers), TLS of the
// federation listener and of outbound requests, and which addresses and servers we talk to.
// Synapse's defaults, except trusted_key_servers (none here, Synapse: matrix.org).
import { isAbsolute, resolve } from 'node:path';
import { BlockList, isIP } from 'node:net';
import { ConfigError } from './config-error.ts';
import { durationMs } from './duration.ts';
import type { FederationKeysFile } from './federation-config-keys.ts';

export interface TrustedKeyServer {
  readonly serverName: string;
  /** keyId → base64 public key: responses must be signed by one of these. Empty with accept_keys_insecurely. */
  readonly verifyKeys: Readonly<Record<string, string>>;
}

/** Federation settings (Synapse's names in the README). */
export interface FederationConfig {
  /** Retired signing keys still published: keyId → base64 key and when it expired. Default: none. */
  readonly oldSigningKeys: Readonly<Record<string, { readonly key: string; readonly expiredTs: number }>>;
  /** How long others may cache our keys (valid_until_ts = now + this). Default: 1 day. */
  readonly keyRefreshIntervalMs: number;
  /** Notaries asked for keys a server does not serve itself. Default: none. */
  readonly trustedKeyServers: readonly TrustedKeyServer[];
  /** Check the TLS certificates of servers we call. Default: true. */
  readonly verifyCertificates: boolean;
  /** PEM files trusted instead of the system CAs for outbound federation. Default: the system CAs. */
  readonly customCaList: readonly string[] | undefined;
  /** Address ranges never connected to. Default: Synapse's private, loopback, link-local, multicast and test ranges. */
  readonly ipRangeBlacklist: readonly string[];
  /** Ranges connected to even inside the blacklist. Default: none. */
  readonly ipRangeWhitelist: readonly string[];
  /** The only servers we federate with; undefined = every server. Default: undefined. */
  readonly domainWhitelist: readonly string[] | undefined;
  /** Certificate and key (PEM paths) of `tls: true` listeners. Default: none. */
  readonly tlsCertificatePath: string | undefined;
  readonly tlsPrivateKeyPath: string | undefined;
  /**
   * The only instances that open connections to other servers (Synapse's
   * outbound_federation_restricted_to); every other process sends its federation requests through
   * them over the replication transport. Default: undefined (each process connects itself).
   */
  readonly outboundRestrictedTo: readonly string[] | undefined;
}

/** Synapse's default ip_range_blacklist, plus the unspecified addresses no one may be asked to reach. */
export const DEFAULT_IP_RANGE_BLACKLIST: readonly string[] = [
  '127.0.0.0/8', '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '192.0.0.0/24',
  '169.254.0.0/16', '192.88.99.0/24', '198.18.0.0/15', '192.0.2.0/24', '198.51.100.0/24', '203.0.113.0/24',
  '224.0.0.0/4', '0.0.0.0/32', '::1/128', '::/128', 'fe80::/10', 'fc00::/7', '2001:db8::/32', 'ff00::/8', 'fec0::/10',
];

/** Checks every entry is an address or CIDR range; returns the list as given. */
export function checkIpRanges(key: string, ranges: readonly string[]): readonly string[] {
  const probe = new BlockList();
  for (const range of ranges) {
    const [address = '', prefix, extra] = range.split('/');
    const family = isIP(address);
    const bits = prefix === undefined ? (family === 4 ? 32 : 128) : Number(prefix);
    const max = family === 4 ? 32 : 128;
    if (family === 0 || extra !== undefined || !Number.isInteger(bits) || bits < 0 || bits > max) {
      throw new ConfigError(`key "${key}" has entry ${JSON.stringify(range)}: expected an IP address or CIDR range such as 10.0.0.0/8 or fc00::/7`);
    }
    probe.addSubnet(address, bits, family === 4 ? 'ipv4' : 'ipv6');
  }
  return ranges;
}

export function resolveFederationConfig(file: FederationKeysFile, configDir: string): FederationConfig {
  const restrictedTo = file.outbound_federation_restricted_to ?? undefined;
  if (restrictedTo !== undefined && restrictedTo.length === 0) {
    throw new ConfigError('key "outbound_federation_restricted_to" is an empty list: name the instances that send federation requests, or remove the key');
  }
  const path = (value: string | undefined) => (value === undefined ? undefined : isAbsolute(value) ? value : resolve(configDir, value));
  if ((file.tls_certificate_path === undefined) !== (file.tls_private_key_path === undefined)) {
    const missing = file.tls_certificate_path === undefined ? 'tls_certificate_path' : 'tls_private_key_path';
    throw new ConfigError(`key "${missing}" is missing: tls_certificate_path and tls_private_key_path go together`);
  }
  const trusted = (file.trusted_key_servers ?? []).map((server, index): TrustedKeyServer => {
    const verifyKeys = server.verify_keys ?? {};
    if (Object.keys(verifyKeys).length === 0 && server.accept_keys_insecurely !== true) {
      throw new ConfigError(
        `key "trusted_key_servers[${index}].verify_keys" is missing for ${server.server_name}: give the notary's keys, or set accept_keys_insecurely: true to trust whatever it signs with`,
      );
    }
    return { serverName: server.server_name, verifyKeys };
  });
  for (const [keyId, old] of Object.entries(file.old_signing_keys ?? {})) {
    if (!/^ed25519:[A-Za-z0-9_]+$/.test(keyId)) throw new ConfigError(`key "old_signing_keys" has key ID ${JSON.stringify(keyId)}: expected ed25519:<version>`);
    if (Buffer.from(old.key, 'base64').byteLength !== 32) {
      throw new ConfigError(`key "old_signing_keys.${keyId}.key" is not the base64 of a 32-byte ed25519 public key`);
    }
  }
  return {
    oldSigningKeys: Object.fromEntries(Object.entries(file.old_signing_keys ?? {}).map(([keyId, old]) => [keyId, { key: old.key, expiredTs: old.expired_ts }])),
    keyRefreshIntervalMs: durationMs(file.key_refresh_interval, 86_400_000),
    trustedKeyServers: trusted,
    verifyCertificates: file.federation_verify_certificates ?? true,
    customCaList: file.federation_custom_ca_list?.map((p) => path(p)!),
    ipRangeBlacklist: checkIpRanges('ip_range_blacklist', file.ip_range_blacklist ?? DEFAULT_IP_RANGE_BLACKLIST),
    ipRangeWhitelist: checkIpRanges('ip_range_whitelist', file.ip_range_whitelist ?? []),
    domainWhitelist: file.federation_domain_whitelist ?? undefined,
    tlsCertificatePath: path(file.tls_certificate_path),
    tlsPrivateKeyPath: path(file.tls_private_key_path),
    outboundRestrictedTo: restrictedTo,
  };
}
