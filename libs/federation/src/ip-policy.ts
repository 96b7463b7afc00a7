// ip_range_blacklist / ip_range_whitelist, as Synapse applies them to outbound federation: an
// address inside the blacklist is never connected to unless the whitelist also holds it. Every
// address a name resolves to is checked, and the blocked ones are dropped.
import { BlockList, isIP } from 'node:net';

function blockListOf(ranges: readonly string[]): BlockList {
  const list = new BlockList();
  for (const range of ranges) {
    const [address = '', prefix] = range.split('/');
    const family = isIP(address);
    const bits = prefix === undefined ? (family === 4 ? 32 : 128) : Number(prefix);
    list.addSubnet(address, bits, family === 4 ? 'ipv4' : 'ipv6');
  }
  return list;
}

export interface IpPolicyOptions {
  /** CIDR ranges refused (already checked by the config loader). */
  readonly blacklist: readonly string[];
  /** CIDR ranges allowed even inside the blacklist. Default: none. */
  readonly whitelist?: readonly string[];
}

export class IpPolicy {
  readonly #blacklist: BlockList;
  readonly #whitelist: BlockList;

  constructor(options: IpPolicyOptions) {
    this.#blacklist = blockListOf(options.blacklist);
    this.#whitelist = blockListOf(options.whitelist ?? []);
  }

  /** Whether we may connect to `address` (an IPv4 or IPv6 literal, brackets allowed). */
  allows(address: string): boolean {
    let bare = address.replace(/^\[|\]$/g, '');
    // An IPv4-mapped IPv6 address reaches the IPv4 host: judge it as that host.
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
    if (mapped) bare = mapped[1]!;
    const family = isIP(bare);
    if (family === 0) return false;
    const type = family === 4 ? 'ipv4' : 'ipv6';
    return !this.#blacklist.check(bare, type) || this.#whitelist.check(bare, type);
  }
}
