// Third-party lookups (r0, v3): protocols, protocol metadata, and user/location queries, answered
// from the application services that list the protocol in their registration (forwarded to their
// /_matrix/app/v1/thirdparty/*), as Synapse does. Without such an appservice: no protocols, an
// unknown protocol is 404 and every query finds nothing. An appservice that fails to answer is
// left out of the answer rather than failing it.
import { missingParam, notFound } from '@homeserver/http';
import type { AppserviceRegistration } from '@homeserver/config';
import { callAppservice, type Appservices, type Requester } from '@homeserver/services';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { clientRoute, params, query } from '../rooms/route-helper.ts';

export interface ThirdPartyDeps {
  readonly authenticate: (request: FastifyRequest) => Promise<Requester>;
  /** Default: none. */
  readonly appservices?: Appservices;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The protocol's metadata merged over the appservices bridging it (instances get Synapse's instance_id). */
async function protocolInfo(bridges: readonly AppserviceRegistration[], protocol: string): Promise<Record<string, unknown> | undefined> {
  let merged: Record<string, unknown> | undefined;
  for (const appservice of bridges) {
    const answer = await callAppservice(appservice, 'GET', `/thirdparty/protocol/${encodeURIComponent(protocol)}`);
    if (!answer.ok || !isObject(answer.body)) continue;
    const instances = (Array.isArray(answer.body['instances']) ? answer.body['instances'] : []).filter(isObject).map((instance) =>
      typeof instance['network_id'] === 'string' ? { ...instance, instance_id: `${appservice.id}|${instance['network_id']}` } : instance,
    );
    merged = merged === undefined ? { ...answer.body, instances } : { ...merged, instances: [...(merged['instances'] as unknown[]), ...instances] };
  }
  return merged;
}

/** The concatenated lists the appservices answer for `path` (objects only). */
async function lookups(targets: readonly AppserviceRegistration[], path: string, fields: Record<string, string | undefined>): Promise<unknown[]> {
  const queryFields = Object.fromEntries(Object.entries(fields).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[0] !== 'access_token'));
  const answers = await Promise.all(targets.map((appservice) => callAppservice(appservice, 'GET', path, { query: queryFields })));
  return answers.flatMap((answer) => (answer.ok && Array.isArray(answer.body) ? answer.body.filter(isObject) : []));
}

export function registerThirdPartyRoutes(app: FastifyInstance, deps: ThirdPartyDeps): void {
  const all = () => (deps.appservices?.all ?? []).filter((r) => r.url !== undefined);
  const bridging = (protocol: string) => all().filter((r) => r.protocols.includes(protocol));

  clientRoute(app, 'GET', '/thirdparty/protocols', { paths: {} }, async (request) => {
    await deps.authenticate(request);
    const protocols = [...new Set(all().flatMap((r) => r.protocols))];
    const answer: Record<string, unknown> = {};
    for (const protocol of protocols) {
      const info = await protocolInfo(bridging(protocol), protocol);
      if (info !== undefined) answer[protocol] = info;
    }
    return answer;
  });

  clientRoute(app, 'GET', '/thirdparty/protocol/:protocol', { paths: {} }, async (request) => {
    await deps.authenticate(request);
    const protocol = params(request)['protocol']!;
    const info = await protocolInfo(bridging(protocol), protocol);
    if (info === undefined) throw notFound(`unknown third-party protocol ${JSON.stringify(protocol)}`);
    return info;
  });

  for (const kind of ['user', 'location'] as const) {
    clientRoute(app, 'GET', `/thirdparty/${kind}/:protocol`, { paths: {} }, async (request) => {
      await deps.authenticate(request);
      const protocol = params(request)['protocol']!;
      return lookups(bridging(protocol), `/thirdparty/${kind}/${encodeURIComponent(protocol)}`, query(request));
    });
    // Reverse lookups by Matrix ID / alias: the spec requires the parameter (Synapse ignores its absence).
    const key = kind === 'user' ? 'userid' : 'alias';
    clientRoute(app, 'GET', `/thirdparty/${kind}`, { paths: {} }, async (request) => {
      await deps.authenticate(request);
      const value = query(request)[key];
      if (value === undefined) throw missingParam(`missing query parameter ${JSON.stringify(key)}`);
      return lookups(all(), `/thirdparty/${kind}`, { [key]: value });
    });
  }
}
