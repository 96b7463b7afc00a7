// Discovery: /_matrix/client/versions, /.well-known/matrix/client and /capabilities.
import { clientPaths } from '@homeserver/http';
import { DEFAULT_ROOM_VERSION, knownRoomVersions } from '@homeserver/matrix';
import type { FastifyInstance } from 'fastify';
import type { AccountsDeps } from './accounts-deps.ts';

/** Spec versions advertised, as Synapse does: the r0 line and v1.1 up to the vendored v1.19. */
export const SUPPORTED_VERSIONS: readonly string[] = [
  'r0.0.1',
  'r0.1.0',
  'r0.2.0',
  'r0.3.0',
  'r0.4.0',
  'r0.5.0',
  'r0.6.0',
  'r0.6.1',
  ...Array.from({ length: 19 }, (_, i) => `v1.${i + 1}`),
];

export function registerDiscoveryRoutes(app: FastifyInstance, deps: AccountsDeps): void {
  app.get('/_matrix/client/versions', async () => ({ versions: SUPPORTED_VERSIONS, unstable_features: {} }));

  app.get('/.well-known/matrix/client', async (request, reply) => {
    const base = deps.settings.publicBaseUrl ?? `${request.protocol}://${request.host}`;
    await reply.header('access-control-allow-origin', '*').send({ 'm.homeserver': { base_url: base } });
  });

  for (const url of clientPaths('/capabilities')) {
    app.get(url, { preHandler: deps.auth.preHandler() }, async () => ({
      capabilities: {
        'm.change_password': { enabled: true },
        'm.room_versions': {
          default: deps.settings.defaultRoomVersion ?? DEFAULT_ROOM_VERSION,
          available: Object.fromEntries(knownRoomVersions().map((v) => [v.id, v.stable ? 'stable' : 'unstable'])),
        },
        'm.set_displayname': { enabled: true },
        'm.set_avatar_url': { enabled: true },
        'm.3pid_changes': { enabled: false },
        'm.get_login_token': { enabled: false },
      },
    }));
  }
}
