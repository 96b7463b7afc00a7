// Checking what clients send to the push rules API (kinds, rule IDs, actions, conditions,
// patterns) and turning a PUT body into the rule stored in m.push_rules. Every refusal is a 400
// naming the field and the value; the checks follow the spec's push rule and condition shapes,
// a little stricter than Synapse for known condition kinds so a rule that could never match is
// refused instead of stored.
import { badJson, invalidParam } from '@homeserver/http';
import { PUSH_RULE_KINDS, type JsonValue, type PushAction, type PushCondition, type PushRule, type PushRuleKind } from '@homeserver/matrix';

/** Actions a rule may carry: `notify`, the historical no-ops and tweaks. */
const STRING_ACTIONS = new Set(['notify', 'dont_notify', 'coalesce']);
const MEMBER_COUNT = /^(==|<=|>=|<|>)?[0-9]+$/;

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function parseKind(kind: string): PushRuleKind {
  if (!(PUSH_RULE_KINDS as readonly string[]).includes(kind)) {
    throw invalidParam(`cannot use push rule kind ${JSON.stringify(kind)}: expected one of ${PUSH_RULE_KINDS.join(', ')}`);
  }
  return kind as PushRuleKind;
}

/** A rule ID a client may create: not reserved for server defaults, no path separators. */
export function checkNewRuleId(ruleId: string): void {
  if (ruleId.startsWith('.')) {
    throw invalidParam(`cannot create push rule ${JSON.stringify(ruleId)}: rule IDs starting with "." are reserved for server-default rules`);
  }
  if (ruleId.includes('/') || ruleId.includes('\\')) {
    throw invalidParam(`cannot create push rule ${JSON.stringify(ruleId)}: rule IDs may not contain "/" or "\\"`);
  }
}

export function parseActions(value: unknown): PushAction[] {
  if (!Array.isArray(value)) throw badJson(`push rule "actions" must be an array, got ${JSON.stringify(value) ?? 'nothing'}`);
  return value.map((action, i) => {
    if (typeof action === 'string') {
      if (!STRING_ACTIONS.has(action)) throw invalidParam(`cannot use push rule action ${JSON.stringify(action)} (actions[${i}]): expected "notify" or a set_tweak object`);
      return action;
    }
    if (isObject(action) && typeof action['set_tweak'] === 'string' && action['set_tweak'] !== '') return action as PushAction;
    throw invalidParam(`cannot use push rule action ${JSON.stringify(action)} (actions[${i}]): expected "notify" or an object with a "set_tweak" name`);
  });
}

function isConditionValue(value: unknown): value is string | number | boolean | null {
  return value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isSafeInteger(value));
}

function checkCondition(condition: unknown, i: number): PushCondition {
  const where = `conditions[${i}]`;
  if (!isObject(condition) || typeof condition['kind'] !== 'string' || condition['kind'] === '') {
    throw invalidParam(`cannot use push condition ${JSON.stringify(condition)} (${where}): expected an object with a "kind"`);
  }
  const need = (field: string, ok: (v: unknown) => boolean, expected: string) => {
    if (!ok(condition[field])) {
      throw invalidParam(`cannot use ${condition['kind']} condition (${where}): "${field}" must be ${expected}, got ${JSON.stringify(condition[field]) ?? 'nothing'}`);
    }
  };
  const nonEmptyString = (v: unknown) => typeof v === 'string' && v !== '';
  switch (condition['kind']) {
    case 'event_match':
      need('key', nonEmptyString, 'a dot-separated event field');
      need('pattern', (v) => typeof v === 'string', 'a glob pattern string');
      break;
    case 'event_property_is':
    case 'event_property_contains':
      need('key', nonEmptyString, 'a dot-separated event field');
      need('value', isConditionValue, 'a string, integer, boolean or null');
      break;
    case 'room_member_count':
      need('is', (v) => typeof v === 'string' && MEMBER_COUNT.test(v), 'a count optionally prefixed by ==, <, >, <= or >=');
      break;
    case 'sender_notification_permission':
      need('key', nonEmptyString, 'a key of the power levels\' "notifications"');
      break;
    // contains_display_name takes no parameters; other kinds are kept and never match (spec).
  }
  return condition as PushCondition;
}

export function parseConditions(value: unknown): PushCondition[] {
  if (!Array.isArray(value)) throw badJson(`push rule "conditions" must be an array, got ${JSON.stringify(value) ?? 'nothing'}`);
  return value.map((condition, i) => checkCondition(condition, i));
}

/** The `enabled` of PUT .../enabled: `{enabled: bool}`, or a bare boolean as older clients send (Synapse accepts it too). */
export function parseEnabled(body: unknown): boolean {
  const value = isObject(body) ? body['enabled'] : body;
  if (typeof value !== 'boolean') throw badJson(`push rule "enabled" must be true or false, got ${JSON.stringify(value) ?? 'nothing'}`);
  return value;
}

/**
 * The user-defined rule a PUT body describes (enabled, as new rules must be). Room and sender
 * rules match on their rule ID, content rules on `pattern`, override/underride on `conditions`
 * (required, as in Synapse: an empty list matches every event).
 */
export function ruleFromBody(kind: PushRuleKind, ruleId: string, body: unknown): PushRule {
  if (!isObject(body)) throw badJson('a push rule must be a JSON object');
  const base = { rule_id: ruleId, default: false, enabled: true, actions: parseActions(body['actions']) };
  switch (kind) {
    case 'override':
    case 'underride':
      if (body['conditions'] === undefined) throw badJson(`missing body field "conditions": ${kind} rules need conditions`);
      return { ...base, conditions: parseConditions(body['conditions']) };
    case 'content': {
      const pattern = body['pattern'] as JsonValue | undefined;
      if (typeof pattern !== 'string' || pattern === '') throw badJson(`content rules need a non-empty "pattern" string, got ${JSON.stringify(pattern) ?? 'nothing'}`);
      return { ...base, pattern };
    }
    case 'room':
    case 'sender':
      return base;
  }
}
