// The few identifier facts the auth rules need (server part, user ID shape). Kept local so the
// auth rules depend on nothing but the event shape; the full grammar lives in the identifiers
// module.

/** The server name after the first colon of a sigil-prefixed identifier, or '' if there is none. */
export function domainOf(id: string): string {
  const colon = id.indexOf(':');
  return colon < 0 ? '' : id.slice(colon + 1);
}

/**
 * Whether `value` is a user ID as the auth rules accept them: `@localpart:server`, at most 255
 * bytes, with a non-empty server name. Historical localparts are allowed (any printable
 * character but ':'), since old rooms contain them.
 */
export function isValidUserId(value: unknown): value is string {
  if (typeof value !== 'string' || !value.startsWith('@')) return false;
  if (new TextEncoder().encode(value).length > 255) return false;
  const colon = value.indexOf(':');
  if (colon < 1) return false;
  const localpart = value.slice(1, colon);
  const server = value.slice(colon + 1);
  // eslint-disable-next-line no-control-regex
  return server.length > 0 && !/[\u0000-\u0020\u007f]/.test(localpart + server);
}
