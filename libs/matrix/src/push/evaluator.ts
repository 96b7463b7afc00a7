// Push rule evaluation: the first enabled rule (by kind, then position) whose conditions all
// hold decides the actions; what they mean for delivery is summarised as notify/highlight/sound.
import { isJsonObject, type JsonObject, type JsonValue } from '../json.ts';
import { conditionMatches } from './conditions.ts';
import { globMatches } from './glob.ts';
import { PUSH_RULE_KINDS, type PushAction, type PushContext, type PushRule, type PushRuleKind, type PushRuleset } from './push-rule.ts';

export interface PushEvaluation {
  readonly ruleId: string;
  readonly kind: PushRuleKind;
  /** The rule's actions without the historical `dont_notify` / `coalesce`. */
  readonly actions: readonly PushAction[];
  readonly notify: boolean;
  readonly highlight: boolean;
  /** The `sound` tweak, when set. */
  readonly sound: string | undefined;
  /** Every tweak set by the actions (highlight without value is true). */
  readonly tweaks: Readonly<Record<string, JsonValue>>;
}

export interface EvaluatePushRulesOptions {
  ruleset: PushRuleset;
  context: PushContext;
}

const HISTORICAL_ACTIONS = new Set(['dont_notify', 'coalesce']);

export function ruleMatches(kind: PushRuleKind, rule: PushRule, event: JsonObject, context: PushContext): boolean {
  if (!rule.enabled) return false;
  switch (kind) {
    case 'override':
    case 'underride':
      return (rule.conditions ?? []).every((c) => conditionMatches(c, event, context));
    case 'content': {
      const body = isJsonObject(event['content']) ? event['content']['body'] : undefined;
      return typeof rule.pattern === 'string' && typeof body === 'string' && globMatches(rule.pattern, body, { wordBoundary: true });
    }
    case 'room':
      return event['room_id'] === rule.rule_id;
    case 'sender':
      return event['sender'] === rule.rule_id;
  }
}

/**
 * The outcome of the user's rules for `event`, or undefined when no rule matched or the user
 * sent the event themselves (servers never notify users of their own events).
 */
export function evaluatePushRules(event: JsonObject, options: EvaluatePushRulesOptions): PushEvaluation | undefined {
  const { ruleset, context } = options;
  if (event['sender'] === context.userId) return undefined;
  for (const kind of PUSH_RULE_KINDS) {
    for (const rule of ruleset[kind]) {
      if (ruleMatches(kind, rule, event, context)) return summarise(kind, rule);
    }
  }
  return undefined;
}

export function summarise(kind: PushRuleKind, rule: PushRule): PushEvaluation {
  const actions = rule.actions.filter((a) => typeof a !== 'string' || !HISTORICAL_ACTIONS.has(a));
  const tweaks: Record<string, JsonValue> = {};
  for (const action of actions) {
    if (typeof action === 'string' || typeof action['set_tweak'] !== 'string') continue;
    const name = action['set_tweak'];
    tweaks[name] = action['value'] ?? (name === 'highlight' ? true : null);
  }
  return {
    ruleId: rule.rule_id,
    kind,
    actions,
    notify: actions.includes('notify'),
    highlight: tweaks['highlight'] === true,
    sound: typeof tweaks['sound'] === 'string' ? tweaks['sound'] : undefined,
    tweaks,
  };
}
