// Accounts and application services: an appservice registers the users of its namespace
// (`POST /register` with `type: m.login.application_service` and its as_token) and logs them in
// (`m.login.application_service`); nobody else may take a user ID in an appservice's exclusive
// users namespace (400 M_EXCLUSIVE), as in Synapse.
import { MatrixError, accessTokenOf, missingToken, unknownToken } from '@homeserver/http';
import type { AppserviceRegistration } from '@homeserver/config';
import { MAX_ID_BYTES, isCompliantUserLocalpart, utf8ByteLength } from '@homeserver/matrix';
import { Appservices } from '@homeserver/services';
import type { FastifyRequest } from 'fastify';

export const APPSERVICE_LOGIN_TYPE = 'm.login.application_service';

/** The appservice whose as_token the request carries; 401 without a token or with another token. */
export function appserviceOfRequest(request: FastifyRequest, appservices: Appservices | undefined): AppserviceRegistration {
  const token = accessTokenOf(request);
  if (token === undefined) throw missingToken();
  const appservice = appservices?.byToken(token);
  if (appservice === undefined) throw unknownToken(`${APPSERVICE_LOGIN_TYPE} needs an application service's as_token`);
  return appservice;
}

/** Refuses a user ID an appservice (other than `allowed`) holds exclusively. */
export function checkNotExclusive(appservices: Appservices | undefined, userId: string, allowed?: AppserviceRegistration): void {
  if (appservices === undefined) return;
  if (appservices.exclusiveOwners('users', userId, allowed).length > 0) throw new MatrixError(400, 'M_EXCLUSIVE', `This user ID is reserved by an application service (${userId})`);
}

/**
 * The user ID an appservice may register for `username`: in its users namespace, held
 * exclusively by no other appservice. Unlike users, appservices may use localparts starting
 * with "_" (bridges do), as Synapse allows them.
 */
export function appserviceUserId(appservice: AppserviceRegistration, appservices: Appservices, username: unknown, serverName: string): string {
  if (typeof username !== 'string' || username === '') throw new MatrixError(400, 'M_MISSING_PARAM', `${APPSERVICE_LOGIN_TYPE} registration needs a "username"`);
  const localpart = username.startsWith('@') ? username.slice(1, username.includes(':') ? username.indexOf(':') : undefined) : username;
  if (!isCompliantUserLocalpart(localpart) || utf8ByteLength(`@${localpart}:${serverName}`) > MAX_ID_BYTES) {
    throw new MatrixError(400, 'M_INVALID_USERNAME', `username ${JSON.stringify(username)} is not a valid localpart (a-z, 0-9 and . _ = - / +)`);
  }
  const userId = `@${localpart}:${serverName}`;
  if (!Appservices.mayActAs(appservice, userId)) throw new MatrixError(400, 'M_EXCLUSIVE', `Invalid user localpart for this application service: ${userId} is outside its users namespace`);
  checkNotExclusive(appservices, userId, appservice);
  return userId;
}
