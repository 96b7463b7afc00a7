// Path parameters that are Matrix identifiers: the shared checks of @homeserver/services.
export { eventIdParam, roomIdParam, userIdParam } from '@homeserver/services';
