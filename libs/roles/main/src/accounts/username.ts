// Localpart rules for new accounts: the current user ID grammar, lower case, not reserved.
import { MatrixError } from '@homeserver/http';
import { MAX_ID_BYTES, isCompliantUserLocalpart, utf8ByteLength } from '@homeserver/matrix';

/** The user ID for a requested username, or throws 400 M_INVALID_USERNAME naming the problem. */
export function userIdForUsername(username: string, serverName: string): string {
  const reason =
    username === ''
      ? 'it is empty'
      : !isCompliantUserLocalpart(username)
        ? 'it may only contain a-z, 0-9 and . _ = - / +'
        : username.startsWith('_')
          ? 'names starting with "_" are reserved'
          : utf8ByteLength(`@${username}:${serverName}`) > MAX_ID_BYTES
            ? `the user ID would exceed ${MAX_ID_BYTES} bytes`
            : undefined;
  if (reason !== undefined) throw new MatrixError(400, 'M_INVALID_USERNAME', `username ${JSON.stringify(username)} is not allowed: ${reason}`);
  return `@${username}:${serverName}`;
}
