// The `identifier` of login and UIA password stages (m.id.user only), plus the legacy `user`
// field: a localpart or a full user ID of this server, lower-cased as Synapse does.
import { MatrixError, badJson } from '@homeserver/http';
import { isValidUserId } from '@homeserver/matrix';

/** The user ID an identifier names, or throws (400 for bad shapes, 403 for other servers). */
export function resolveUserIdentifier(body: Record<string, unknown>, serverName: string): string {
  const identifier = body['identifier'];
  let user: unknown;
  if (identifier !== undefined) {
    if (identifier === null || typeof identifier !== 'object') throw badJson('identifier must be an object');
    const id = identifier as Record<string, unknown>;
    if (id['type'] !== 'm.id.user') {
      throw new MatrixError(400, 'M_UNKNOWN', `identifier type ${JSON.stringify(id['type'])} is not supported; use m.id.user`);
    }
    user = id['user'];
  } else {
    user = body['user'];
  }
  if (typeof user !== 'string' || user === '') throw badJson('missing user: give identifier.user (m.id.user) or user');
  const userId = user.startsWith('@') ? user : `@${user}:${serverName}`;
  if (!isValidUserId(userId)) throw new MatrixError(400, 'M_INVALID_USERNAME', `${JSON.stringify(user)} is not a valid user ID`);
  if (userId.slice(userId.indexOf(':') + 1) !== serverName) {
    throw new MatrixError(403, 'M_FORBIDDEN', `user ${JSON.stringify(userId)} does not belong to this server`);
  }
  return userId.toLowerCase() === userId ? userId : `@${userId.slice(1, userId.indexOf(':')).toLowerCase()}${userId.slice(userId.indexOf(':'))}`;
}
