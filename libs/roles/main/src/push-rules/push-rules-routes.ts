// The client-server API's "Push Rules" module: reading the effective rules (server defaults
// merged with the user's own, kept in their m.push_rules account data) and changing them (PUT
// and DELETE of user rules, `enabled` and `actions` of any rule). Clients such as matrix-js-sdk
// fetch /pushrules/ before their first /sync and stop if it is missing.
import { clientPaths, notFound } from '@homeserver/http';
import type { PushRule, PushRuleKind } from '@homeserver/matrix';
import { requesterOf, type AccessTokenAuth } from '@homeserver/services';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { checkNewRuleId, parseActions, parseEnabled, parseKind, parseScope, ruleFromBody } from './push-rule-input.ts';
import type { PushRulesService } from './push-rules-service.ts';

export interface PushRulesRouteDeps {
  readonly auth: AccessTokenAuth;
  readonly pushRules: PushRulesService;
}

interface RuleParams {
  scope: string;
  kind: string;
  ruleId: string;
}

/** The addressed rule's kind, after checking scope and kind. */
function kindOf(params: RuleParams): PushRuleKind {
  parseScope(params.scope);
  return parseKind(params.kind);
}

async function findRule(deps: PushRulesRouteDeps, request: FastifyRequest<{ Params: RuleParams }>): Promise<PushRule> {
  const kind = kindOf(request.params);
  const rules = await deps.pushRules.effective(requesterOf(request).userId);
  const rule = rules[kind].find((r) => r.rule_id === request.params.ruleId);
  if (rule === undefined) throw notFound(`no ${kind} push rule with ID ${JSON.stringify(request.params.ruleId)}`);
  return rule;
}

export function registerPushRulesRoutes(app: FastifyInstance, deps: PushRulesRouteDeps): void {
  const authed = deps.auth.preHandler();
  const { pushRules } = deps;
  for (const url of clientPaths('/pushrules/')) {
    app.get(url, { preHandler: authed }, async (request) => ({ global: await pushRules.effective(requesterOf(request).userId) }));
  }
  for (const url of clientPaths('/pushrules/:scope/')) {
    app.get<{ Params: { scope: string } }>(url, { preHandler: authed }, async (request) => {
      parseScope(request.params.scope);
      return pushRules.effective(requesterOf(request).userId);
    });
  }

  for (const url of clientPaths('/pushrules/:scope/:kind/:ruleId')) {
    app.get<{ Params: RuleParams }>(url, { preHandler: authed }, async (request) => findRule(deps, request));
    app.put<{ Params: RuleParams; Querystring: { before?: string; after?: string } }>(
      url,
      { preHandler: authed, schema: { querystring: { type: 'object', properties: { before: { type: 'string' }, after: { type: 'string' } } } } },
      async (request) => {
        const kind = kindOf(request.params);
        checkNewRuleId(request.params.ruleId);
        const rule = ruleFromBody(kind, request.params.ruleId, request.body);
        // Empty values mean "not given", as Synapse reads them.
        const { before, after } = request.query;
        await pushRules.put(requesterOf(request).userId, kind, rule, { before: before || undefined, after: after || undefined });
        return {};
      },
    );
    app.delete<{ Params: RuleParams }>(url, { preHandler: authed }, async (request) => {
      await pushRules.delete(requesterOf(request).userId, kindOf(request.params), request.params.ruleId);
      return {};
    });
  }

  for (const url of clientPaths('/pushrules/:scope/:kind/:ruleId/enabled')) {
    app.get<{ Params: RuleParams }>(url, { preHandler: authed }, async (request) => ({ enabled: (await findRule(deps, request)).enabled }));
    app.put<{ Params: RuleParams }>(url, { preHandler: authed }, async (request) => {
      const kind = kindOf(request.params);
      await pushRules.setEnabled(requesterOf(request).userId, kind, request.params.ruleId, parseEnabled(request.body));
      return {};
    });
  }

  for (const url of clientPaths('/pushrules/:scope/:kind/:ruleId/actions')) {
    app.get<{ Params: RuleParams }>(url, { preHandler: authed }, async (request) => ({ actions: (await findRule(deps, request)).actions }));
    app.put<{ Params: RuleParams }>(url, { preHandler: authed }, async (request) => {
      const kind = kindOf(request.params);
      const body = request.body as { actions?: unknown } | null | undefined;
      const actions = parseActions(body !== null && typeof body === 'object' && !Array.isArray(body) ? body.actions : undefined);
      await pushRules.setActions(requesterOf(request).userId, kind, request.params.ruleId, actions);
      return {};
    });
  }
}
