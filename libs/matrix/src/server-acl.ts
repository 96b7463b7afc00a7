// Server ACLs (client-server spec, m.room.server_acl): which servers may take part in a room.
// The server name is matched without its port; `allow` and `deny` are globs with `*` and `?`;
// deny wins over allow; IP literals are refused unless `allow_ip_literals` is true (default
// true); a server that no allow entry matches is refused. An ACL event with malformed content
// allows nothing, as Synapse reads it.

const globs = new Map<string, RegExp>();

function glob(pattern: string): RegExp {
  let regex = globs.get(pattern);
  if (regex === undefined) {
    const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    regex = new RegExp(`^${source}$`, 'is');
    if (globs.size > 1000) globs.clear();
    globs.set(pattern, regex);
  }
  return regex;
}

/** The host of a server name: without its port, IPv6 literals with their brackets. */
function hostOf(serverName: string): string {
  if (serverName.startsWith('[')) return serverName.slice(0, serverName.indexOf(']') + 1);
  const colon = serverName.lastIndexOf(':');
  return colon < 0 ? serverName : serverName.slice(0, colon);
}

function isIpLiteral(host: string): boolean {
  return host.startsWith('[') || /^\d{1,3}(\.\d{1,3}){3}$/.test(host);
}

function patterns(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((p): p is string => typeof p === 'string') : [];
}

/** Whether the content of an m.room.server_acl event lets `serverName` take part in the room. */
export function serverAclAllows(content: unknown, serverName: string): boolean {
  if (typeof content !== 'object' || content === null || Array.isArray(content)) return false;
  const acl = content as Record<string, unknown>;
  const host = hostOf(serverName);
  const allowIpLiterals = acl['allow_ip_literals'];
  if (isIpLiteral(host) && allowIpLiterals === false) return false;
  if (allowIpLiterals !== undefined && typeof allowIpLiterals !== 'boolean') return false;
  if (patterns(acl['deny']).some((p) => glob(p).test(host))) return false;
  return patterns(acl['allow']).some((p) => glob(p).test(host));
}
