// Server name resolution in the spec's order, with the lookups answered from tables.
import { describe, expect, it } from 'vitest';
import { resolveServerName, splitHostPort, type DiscoveryLookups, type SrvTarget } from './server-discovery.ts';

function lookups(wellKnown: Record<string, string> = {}, srv: Record<string, SrvTarget[]> = {}): DiscoveryLookups & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    wellKnown: async (host) => {
      asked.push(`well-known ${host}`);
      return wellKnown[host];
    },
    srv: async (name) => {
      asked.push(`srv ${name}`);
      return srv[name] ?? [];
    },
  };
}
const record = (name: string, port: number, priority = 10, weight = 5): SrvTarget => ({ name, port, priority, weight });

describe('server discovery', () => {
  it('connects to IP literals directly, default port 8448, without any lookup', async () => {
    const l = lookups();
    expect(await resolveServerName('1.2.3.4', l)).toEqual({ host: '1.2.3.4', port: 8448, hostHeader: '1.2.3.4', tlsName: '1.2.3.4' });
    expect(await resolveServerName('[::1]:8449', l)).toEqual({ host: '::1', port: 8449, hostHeader: '[::1]:8449', tlsName: '::1' });
    expect(l.asked).toEqual([]);
  });

  it('connects to a hostname with an explicit port directly, Host and certificate the server name', async () => {
    const l = lookups();
    expect(await resolveServerName('example.org:1234', l)).toEqual({ host: 'example.org', port: 1234, hostHeader: 'example.org:1234', tlsName: 'example.org' });
    expect(l.asked).toEqual([]);
  });

  it('follows .well-known delegation: to an IP, to a host with port, then SRV of the delegated name, then its port 8448', async () => {
    expect(await resolveServerName('a.org', lookups({ 'a.org': '5.6.7.8:99' }))).toEqual({ host: '5.6.7.8', port: 99, hostHeader: '5.6.7.8:99', tlsName: '5.6.7.8' });
    expect(await resolveServerName('a.org', lookups({ 'a.org': 'fed.a.org:443' }))).toEqual({ host: 'fed.a.org', port: 443, hostHeader: 'fed.a.org:443', tlsName: 'fed.a.org' });
    const srv = lookups({ 'a.org': 'fed.a.org' }, { '_matrix-fed._tcp.fed.a.org': [record('backend.a.org.', 7000)] });
    expect(await resolveServerName('a.org', srv)).toEqual({ host: 'backend.a.org', port: 7000, hostHeader: 'fed.a.org', tlsName: 'fed.a.org' });
    const legacy = lookups({ 'a.org': 'fed.a.org' }, { '_matrix._tcp.fed.a.org': [record('old.a.org', 7001)] });
    expect(await resolveServerName('a.org', legacy)).toEqual({ host: 'old.a.org', port: 7001, hostHeader: 'fed.a.org', tlsName: 'fed.a.org' });
    expect(await resolveServerName('a.org', lookups({ 'a.org': 'fed.a.org' }))).toEqual({ host: 'fed.a.org', port: 8448, hostHeader: 'fed.a.org', tlsName: 'fed.a.org' });
  });

  it('without delegation: _matrix-fed._tcp before _matrix._tcp (lowest priority, then heaviest), then port 8448', async () => {
    const both = lookups({}, { '_matrix-fed._tcp.b.org': [record('slow.b.org', 1, 20), record('fast.b.org', 2, 10, 1), record('heavy.b.org', 3, 10, 9)], '_matrix._tcp.b.org': [record('legacy.b.org', 4)] });
    expect(await resolveServerName('b.org', both)).toEqual({ host: 'heavy.b.org', port: 3, hostHeader: 'b.org', tlsName: 'b.org' });
    expect(both.asked).toEqual(['well-known b.org', 'srv _matrix-fed._tcp.b.org']);
    expect(await resolveServerName('b.org', lookups({}, { '_matrix._tcp.b.org': [record('legacy.b.org', 4)] }))).toMatchObject({ host: 'legacy.b.org', port: 4 });
    expect(await resolveServerName('b.org', lookups())).toEqual({ host: 'b.org', port: 8448, hostHeader: 'b.org', tlsName: 'b.org' });
  });

  it('ignores a malformed delegation and an SRV record of "." (no service)', async () => {
    expect(await resolveServerName('c.org', lookups({ 'c.org': 'bad host:x' }))).toMatchObject({ host: 'c.org', port: 8448 });
    expect(await resolveServerName('c.org', lookups({}, { '_matrix-fed._tcp.c.org': [record('.', 0)] }))).toMatchObject({ host: 'c.org', port: 8448 });
  });

  it('refuses what is not a server name', async () => {
    await expect(resolveServerName('a b', lookups())).rejects.toThrow('is not a server name');
    expect(splitHostPort('host:99999')).toBeUndefined();
  });
});
