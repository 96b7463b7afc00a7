// Reading push rules (client-server API "Push Rules": GET /pushrules/ and below): the server
// defaults merged with the user's own rules kept in their m.push_rules account data. Clients
// such as matrix-js-sdk fetch /pushrules/ before their first /sync and stop if it is missing.
import { clientPaths, invalidParam, notFound } from '@homeserver/http';
import { PUSH_RULE_KINDS, withDefaultRules, type PushRuleKind, type PushRuleset } from '@homeserver/matrix';
import { requesterOf } from '@homeserver/services';
import type { FastifyInstance } from 'fastify';
import type { AccountsDeps } from '../accounts/accounts-deps.ts';

async function effectiveRules(deps: Pick<AccountsDeps, 'accountData'>, userId: string): Promise<PushRuleset> {
  const stored = await deps.accountData.get(userId, '', 'm.push_rules');
  const global = stored?.['global'];
  const own = global !== null && typeof global === 'object' && !Array.isArray(global) ? (global as Partial<PushRuleset>) : {};
  return withDefaultRules(own, userId);
}

function scopeParam(scope: string): void {
  if (scope !== 'global') throw invalidParam(`cannot read push rules of scope ${JSON.stringify(scope)}: only "global" exists`);
}

function kindParam(kind: string): PushRuleKind {
  if (!(PUSH_RULE_KINDS as readonly string[]).includes(kind)) throw invalidParam(`cannot read push rules of kind ${JSON.stringify(kind)}: expected one of ${PUSH_RULE_KINDS.join(', ')}`);
  return kind as PushRuleKind;
}

export function registerPushRulesRoutes(app: FastifyInstance, deps: Pick<AccountsDeps, 'accountData' | 'auth'>): void {
  const authed = deps.auth.preHandler();
  for (const url of clientPaths('/pushrules/')) {
    app.get(url, { preHandler: authed }, async (request) => ({ global: await effectiveRules(deps, requesterOf(request).userId) }));
  }
  for (const url of clientPaths('/pushrules/:scope/')) {
    app.get<{ Params: { scope: string } }>(url, { preHandler: authed }, async (request) => {
      scopeParam(request.params.scope);
      return effectiveRules(deps, requesterOf(request).userId);
    });
  }
  for (const url of clientPaths('/pushrules/:scope/:kind/:ruleId')) {
    app.get<{ Params: { scope: string; kind: string; ruleId: string } }>(url, { preHandler: authed }, async (request) => {
      scopeParam(request.params.scope);
      const kind = kindParam(request.params.kind);
      const rules = await effectiveRules(deps, requesterOf(request).userId);
      const rule = rules[kind].find((r) => r.rule_id === request.params.ruleId);
      if (rule === undefined) throw notFound(`no ${kind} push rule with ID ${JSON.stringify(request.params.ruleId)}`);
      return rule;
    });
  }
}
