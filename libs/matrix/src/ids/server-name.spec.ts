import { describe, expect, it } from 'vitest';
import { InvalidIdentifierError } from '../errors.ts';
import { formatServerName, isValidServerName, parseServerName } from './server-name.ts';

describe('parseServerName', () => {
  it.each([
    ['matrix.org', 'dns', 'matrix.org', undefined],
    ['matrix.org:8888', 'dns', 'matrix.org', 8888],
    ['1.2.3.4', 'ipv4', '1.2.3.4', undefined],
    ['1.2.3.4:1234', 'ipv4', '1.2.3.4', 1234],
    ['[1234:5678::abcd]', 'ipv6', '[1234:5678::abcd]', undefined],
    ['[1234:5678::abcd]:5678', 'ipv6', '[1234:5678::abcd]', 5678],
    ['[::ffff:1.2.3.4]', 'ipv6', '[::ffff:1.2.3.4]', undefined],
    ['localhost', 'dns', 'localhost', undefined],
    ['MATRIX.org', 'dns', 'MATRIX.org', undefined],
  ])('accepts the spec example %s', (value, hostKind, host, port) => {
    expect(parseServerName(value)).toEqual({ value, hostKind, host, port });
  });

  it.each([
    ['', 'empty'],
    ['matrix.org:', 'port'],
    ['matrix.org:123456', 'port'],
    ['matrix.org:70000', 'above 65535'],
    ['matrix.org:80a', 'port'],
    ['exa_mple.org', 'may only contain'],
    ['[1234:5678::abcd', 'closing'],
    ['[not:an:ip:zz]', 'IPv6'],
    ['[1::2::3]', 'IPv6'],
    ['1.2.3.256', 'above 255'],
    [`${'a'.repeat(256)}`, 'longer than 255'],
    [':80', 'host is empty'],
  ])('rejects %j with a reason', (value, reason) => {
    expect(() => parseServerName(value)).toThrow(InvalidIdentifierError);
    expect(() => parseServerName(value)).toThrow(reason);
  });

  it('formats hosts and ports, bracketing bare IPv6', () => {
    expect(formatServerName('example.org', 8448)).toBe('example.org:8448');
    expect(formatServerName('::1', 8448)).toBe('[::1]:8448');
    expect(formatServerName('[::1]')).toBe('[::1]');
    expect(isValidServerName('example.org')).toBe(true);
    expect(isValidServerName('exa mple.org')).toBe(false);
  });
});
