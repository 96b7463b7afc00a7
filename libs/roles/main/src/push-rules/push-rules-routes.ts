// The client-server API's "Push Rules" module: reading the effective rules (server defaults
// merged with the user's own, kept in their m.push_rules account data) and changing them (PUT
// and DELETE of user rules, `enabled` and `actions` of any rule). Clients such as matrix-js-sdk
// fetch /pushrules/ before their first /sync and stop if it is missing.
import { clientPaths, notFound, unrecognized } from '@homeserver/http';
import { PUSH_RULE_KINDS, type PushRule, type PushRuleKind } from '@homeserver/matrix';
import { requesterOf, type AccessTokenAuth } from '@homeserver/services';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { checkNewRuleId, parseActions, parseEnabled, parseKind, ruleFromBody } from './push-rule-input.ts';
import { pushRulesPathParts, ruleSpecOf, rulesQueryOf } from './push-rules-path.ts';
import type { PushRulesService } from './push-rules-service.ts';

export interface PushRulesRouteDeps {
  readonly auth: AccessTokenAuth;
  readonly pushRules: PushRulesService;
}

/** The addressed rule's kind, after checking it. */
function kindOf(kind: string): PushRuleKind {
  return parseKind(kind);
}

function partsOrNotFound(request: FastifyRequest): string[] {
  const parts = pushRulesPathParts(request.url);
  // `/pushrules` without its slash is no endpoint at all (Synapse: 404).
  if (parts === undefined) throw unrecognized(`unrecognized request: ${request.method} ${request.url.split('?')[0]}`);
  return parts;
}

async function findRule(deps: PushRulesRouteDeps, userId: string, kind: string, ruleId: string): Promise<PushRule> {
  const rules = await deps.pushRules.effective(userId);
  const rule = rules[kindOf(kind)].find((r) => r.rule_id === ruleId);
  if (rule === undefined) throw notFound(`no ${kind} push rule with ID ${JSON.stringify(ruleId)}`);
  return rule;
}

async function read(deps: PushRulesRouteDeps, request: FastifyRequest): Promise<unknown> {
  const parts = partsOrNotFound(request);
  const userId = requesterOf(request).userId;
  const query = rulesQueryOf(parts);
  switch (query.what) {
    case 'all':
      return { global: await deps.pushRules.effective(userId) };
    case 'scope':
      return deps.pushRules.effective(userId);
    case 'kind': {
      const rules = await deps.pushRules.effective(userId);
      if (!(PUSH_RULE_KINDS as readonly string[]).includes(query.kind)) throw unrecognized(`push rule kind ${JSON.stringify(query.kind)} is unknown`, 400);
      return rules[query.kind as PushRuleKind];
    }
    case 'rule': {
      if (!(PUSH_RULE_KINDS as readonly string[]).includes(query.kind)) throw unrecognized(`push rule kind ${JSON.stringify(query.kind)} is unknown`, 400);
      const rule = await findRule(deps, userId, query.kind, query.ruleId);
      if (query.attr === undefined) return rule;
      if (query.attr !== 'enabled' && query.attr !== 'actions') throw unrecognized(`push rule attribute ${JSON.stringify(query.attr)} is unknown: expected enabled or actions`, 400);
      return { [query.attr]: rule[query.attr] };
    }
  }
}

export function registerPushRulesRoutes(app: FastifyInstance, deps: PushRulesRouteDeps): void {
  const authed = deps.auth.preHandler();
  const { pushRules } = deps;
  // Fastify folds the trailing slash of `/pushrules/` away, so the wildcard alone would miss it.
  for (const url of [...clientPaths('/pushrules/'), ...clientPaths('/pushrules/*')]) {
    app.get(url, { preHandler: authed }, async (request) => read(deps, request));

    app.put<{ Querystring: { before?: string; after?: string } }>(
      url,
      { preHandler: authed, schema: { querystring: { type: 'object', properties: { before: { type: 'string' }, after: { type: 'string' } } } } },
      async (request) => {
        const spec = ruleSpecOf(partsOrNotFound(request));
        const kind = kindOf(spec.kind);
        const userId = requesterOf(request).userId;
        if (spec.attr === 'enabled') {
          await pushRules.setEnabled(userId, kind, spec.ruleId, parseEnabled(request.body));
        } else if (spec.attr === 'actions') {
          const body = request.body as { actions?: unknown } | null | undefined;
          await pushRules.setActions(userId, kind, spec.ruleId, parseActions(body !== null && typeof body === 'object' && !Array.isArray(body) ? body.actions : undefined));
        } else if (spec.attr !== undefined) {
          throw unrecognized(`push rule attribute ${JSON.stringify(spec.attr)} is unknown: expected enabled or actions`, 400);
        } else {
          checkNewRuleId(spec.ruleId);
          const rule = ruleFromBody(kind, spec.ruleId, request.body);
          // Empty values mean "not given", as Synapse reads them.
          const { before, after } = request.query;
          await pushRules.put(userId, kind, rule, { before: before || undefined, after: after || undefined });
        }
        return {};
      },
    );

    app.delete(url, { preHandler: authed }, async (request) => {
      const spec = ruleSpecOf(partsOrNotFound(request));
      if (spec.attr !== undefined) throw unrecognized(`cannot delete push rule attribute ${JSON.stringify(spec.attr)}: delete the rule itself`, 400);
      await pushRules.delete(requesterOf(request).userId, kindOf(spec.kind), spec.ruleId);
      return {};
    });
  }
}
