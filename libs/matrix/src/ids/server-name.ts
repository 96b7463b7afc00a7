// Server names (appendices: "Server Name"): a DNS name, a dotted-quad IPv4 literal or a
// bracketed IPv6 literal, with an optional port. Case is preserved: server names compare
// case-sensitively.
import { InvalidIdentifierError } from '../errors.ts';

export type HostKind = 'dns' | 'ipv4' | 'ipv6';

export interface ServerName {
  /** The server name exactly as given (host plus optional `:port`). */
  readonly value: string;
  /** The host part; IPv6 literals keep their brackets, e.g. `[::1]`. */
  readonly host: string;
  readonly hostKind: HostKind;
  readonly port: number | undefined;
}

const KIND = 'server name';
const DNS_NAME = /^[A-Za-z0-9.-]{1,255}$/;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const IPV6_CHARS = /^[0-9A-Fa-f:.]{2,45}$/;
const PORT = /^\d{1,5}$/;

/** Parses a server name; throws InvalidIdentifierError saying which part is wrong. */
export function parseServerName(value: string): ServerName {
  if (value.length === 0) throw new InvalidIdentifierError(KIND, value, 'it is empty');
  let host: string;
  let rest: string;
  let hostKind: HostKind;
  if (value.startsWith('[')) {
    const close = value.indexOf(']');
    if (close < 0) throw new InvalidIdentifierError(KIND, value, 'IPv6 literal has no closing "]"');
    host = value.slice(0, close + 1);
    rest = value.slice(close + 1);
    const literal = value.slice(1, close);
    // The grammar's character set, then a real address check (URL does RFC 3513 parsing).
    if (!IPV6_CHARS.test(literal) || !URL.canParse(`http://[${literal}]/`)) {
      throw new InvalidIdentifierError(KIND, value, `"${literal}" is not a valid IPv6 address`);
    }
    hostKind = 'ipv6';
  } else {
    const colon = value.indexOf(':');
    host = colon < 0 ? value : value.slice(0, colon);
    rest = colon < 0 ? '' : value.slice(colon);
    const quad = IPV4.exec(host);
    if (quad !== null) {
      if (quad.slice(1).some((part) => Number(part) > 255)) {
        throw new InvalidIdentifierError(KIND, value, `IPv4 literal "${host}" has a part above 255`);
      }
      hostKind = 'ipv4';
    } else if (DNS_NAME.test(host)) {
      hostKind = 'dns';
    } else {
      throw new InvalidIdentifierError(
        KIND,
        value,
        host.length === 0
          ? 'the host is empty'
          : host.length > 255
            ? 'the DNS name is longer than 255 characters'
            : `host "${host}" may only contain A-Z, a-z, 0-9, "-" and "."`,
      );
    }
  }
  let port: number | undefined;
  if (rest !== '') {
    const digits = rest.slice(1);
    if (!rest.startsWith(':') || !PORT.test(digits)) {
      throw new InvalidIdentifierError(KIND, value, `"${rest}" is not a ":port" suffix of 1-5 digits`);
    }
    port = Number(digits);
    if (port > 65535) throw new InvalidIdentifierError(KIND, value, `port ${port} is above 65535`);
  }
  return { value, host, hostKind, port };
}

export function isValidServerName(value: string): boolean {
  try {
    parseServerName(value);
    return true;
  } catch {
    return false;
  }
}

export function formatServerName(host: string, port?: number): string {
  const bracketed = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return port === undefined ? bracketed : `${bracketed}:${port}`;
}
