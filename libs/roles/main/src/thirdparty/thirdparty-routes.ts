// Third-party lookups (r0, v3): protocols, protocol metadata, and user/location queries. Every
// answer comes from application services bridging the protocols; this server has none yet,
// so it answers as Synapse does without appservices: no protocols, an unknown protocol is 404,
// and every query finds nothing.
import { missingParam, notFound } from '@homeserver/http';
import type { Requester } from '@homeserver/services';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { clientRoute, params, query } from '../rooms/route-helper.ts';

export interface ThirdPartyDeps {
  readonly authenticate: (request: FastifyRequest) => Promise<Requester>;
}

export function registerThirdPartyRoutes(app: FastifyInstance, deps: ThirdPartyDeps): void {
  clientRoute(app, 'GET', '/thirdparty/protocols', { paths: {} }, async (request) => {
    await deps.authenticate(request);
    return {};
  });

  clientRoute(app, 'GET', '/thirdparty/protocol/:protocol', { paths: {} }, async (request) => {
    await deps.authenticate(request);
    throw notFound(`unknown third-party protocol ${JSON.stringify(params(request)['protocol'])}`);
  });

  for (const kind of ['user', 'location'] as const) {
    clientRoute(app, 'GET', `/thirdparty/${kind}/:protocol`, { paths: {} }, async (request) => {
      await deps.authenticate(request);
      return [];
    });
    // Reverse lookups by Matrix ID / alias: the spec requires the parameter (Synapse ignores its absence).
    const key = kind === 'user' ? 'userid' : 'alias';
    clientRoute(app, 'GET', `/thirdparty/${kind}`, { paths: {} }, async (request) => {
      await deps.authenticate(request);
      if (query(request)[key] === undefined) throw missingParam(`missing query parameter ${JSON.stringify(key)}`);
      return [];
    });
  }
}
