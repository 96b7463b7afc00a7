import { DEFAULT_IP_RANGE_BLACKLIST } from '@homeserver/config';
import { describe, expect, it } from 'vitest';
import { IpPolicy } from './ip-policy.ts';

describe('IP policy', () => {
  const policy = new IpPolicy({ blacklist: DEFAULT_IP_RANGE_BLACKLIST });

  it("refuses Synapse's default private, loopback and link-local ranges, allows public addresses", () => {
    for (const address of ['127.0.0.1', '10.1.2.3', '192.168.0.1', '172.20.0.1', '169.254.1.1', '::1', 'fe80::1', 'fd00::1', '0.0.0.0', '::']) expect(policy.allows(address)).toBe(false);
    for (const address of ['8.8.8.8', '2001:4860:4860::8888', '[2001:4860:4860::8888]']) expect(policy.allows(address)).toBe(true);
  });

  it('judges an IPv4-mapped IPv6 address as the IPv4 host it reaches', () => {
    expect(policy.allows('::ffff:127.0.0.1')).toBe(false);
    expect(policy.allows('::ffff:8.8.8.8')).toBe(true);
  });

  it('lets the whitelist through inside the blacklist, and refuses what is not an address', () => {
    const loopback = new IpPolicy({ blacklist: DEFAULT_IP_RANGE_BLACKLIST, whitelist: ['127.0.0.1/32', '::1'] });
    expect(loopback.allows('127.0.0.1')).toBe(true);
    expect(loopback.allows('127.0.0.2')).toBe(false);
    expect(loopback.allows('::1')).toBe(true);
    expect(loopback.allows('localhost')).toBe(false);
  });
});
