// A user's push rules: the server defaults (libs/matrix) merged with what the user changed,
// which is kept in their m.push_rules global account data: their own rules per kind, most
// important first, and for server-default rules only the `enabled`/`actions` they set. Every
// write goes through the AccountDataService, so /sync sees m.push_rules at a stream position and
// the sync role's unread counts read the current rules.
//
// A write reads, edits and stores the whole ruleset, so writes of one user are serialised here;
// push rule writes are served only by main (as Synapse's push_rules writer), one process.
import { MatrixError, notFound } from '@homeserver/http';
import { defaultPushRules, withDefaultRules, type PushAction, type PushRule, type PushRuleKind, type PushRuleset } from '@homeserver/matrix';
import type { AccountDataService } from '../account-data/account-data-service.ts';

const TYPE = 'm.push_rules';

/** A stored entry: a user rule, or a default rule's changed fields (rule_id starting with "."). */
type StoredRule = PushRule | { readonly rule_id: string; readonly default: true; readonly enabled?: boolean; readonly actions?: readonly PushAction[] };
type StoredRules = Record<PushRuleKind, StoredRule[]>;

export interface RulePosition {
  /** Make the rule the next more important one than this user rule (wins over `after`). */
  readonly before?: string | undefined;
  /** Make the rule the next less important one than this user rule. */
  readonly after?: string | undefined;
}

const ruleNotFound = (kind: PushRuleKind, ruleId: string) => notFound(`no ${kind} push rule with ID ${JSON.stringify(ruleId)}`);

export class PushRulesService {
  readonly #accountData: AccountDataService;
  /** The tail of each user's queue of writes. */
  readonly #queues = new Map<string, Promise<unknown>>();

  constructor(accountData: AccountDataService) {
    this.#accountData = accountData;
  }

  /** The ruleset the user's events are evaluated with. */
  async effective(userId: string): Promise<PushRuleset> {
    // Partial default-rule entries are what withDefaultRules fills from the defaults.
    return withDefaultRules((await this.#stored(userId)) as Partial<PushRuleset>, userId);
  }

  /** Adds a user rule, or updates the one with this ID (keeping its place unless `position` moves it). */
  async put(userId: string, kind: PushRuleKind, rule: PushRule, position: RulePosition = {}): Promise<void> {
    await this.#edit(userId, (rules) => {
      const list = rules[kind];
      const index = list.findIndex((r) => r.rule_id === rule.rule_id);
      const existing = index >= 0 ? list[index] : undefined;
      // Updating a rule keeps whether it is enabled; new rules start enabled.
      const next = { ...rule, enabled: existing?.enabled ?? true };
      const relative = position.before ?? position.after;
      if (relative === undefined && index >= 0) {
        list[index] = next;
        return;
      }
      if (index >= 0) list.splice(index, 1);
      if (relative === undefined) {
        list.unshift(next);
        return;
      }
      const at = list.findIndex((r) => r.rule_id === relative && !r.rule_id.startsWith('.'));
      // Synapse's wording and status (the spec's example); rules cannot be placed relative to defaults.
      if (at < 0) throw new MatrixError(400, 'M_UNKNOWN', `before/after rule not found: ${relative}`);
      list.splice(position.before !== undefined ? at : at + 1, 0, next);
    });
  }

  /** Deletes a user rule. Server-default rules cannot be deleted: 404, as Synapse answers. */
  async delete(userId: string, kind: PushRuleKind, ruleId: string): Promise<void> {
    if (isDefaultRule(userId, kind, ruleId)) {
      throw notFound(`the server-default ${kind} push rule ${JSON.stringify(ruleId)} cannot be deleted; disable it instead`);
    }
    await this.#edit(userId, (rules) => {
      const index = rules[kind].findIndex((r) => r.rule_id === ruleId);
      if (index < 0) throw ruleNotFound(kind, ruleId);
      rules[kind].splice(index, 1);
    });
  }

  async setEnabled(userId: string, kind: PushRuleKind, ruleId: string, enabled: boolean): Promise<void> {
    await this.#setField(userId, kind, ruleId, { enabled });
  }

  async setActions(userId: string, kind: PushRuleKind, ruleId: string, actions: readonly PushAction[]): Promise<void> {
    await this.#setField(userId, kind, ruleId, { actions });
  }

  async #setField(userId: string, kind: PushRuleKind, ruleId: string, change: { enabled?: boolean; actions?: readonly PushAction[] }): Promise<void> {
    const isDefault = isDefaultRule(userId, kind, ruleId);
    await this.#edit(userId, (rules) => {
      const list = rules[kind];
      const index = list.findIndex((r) => r.rule_id === ruleId);
      if (index >= 0 && (isDefault || !ruleId.startsWith('.'))) {
        list[index] = { ...list[index]!, ...change } as StoredRule;
      } else if (isDefault) {
        // Only what the user changed is kept, so later server versions' defaults still apply.
        list.push({ rule_id: ruleId, default: true, ...change });
      } else {
        throw ruleNotFound(kind, ruleId);
      }
    });
  }

  async #stored(userId: string): Promise<StoredRules> {
    const content = await this.#accountData.get(userId, '', TYPE);
    const global = content?.['global'];
    const rules = {} as StoredRules;
    for (const kind of Object.keys(defaultPushRules(userId)) as PushRuleKind[]) {
      const list = global !== null && typeof global === 'object' && !Array.isArray(global) ? (global as Record<string, unknown>)[kind] : undefined;
      // Entries without a string rule_id cannot be addressed or evaluated; they are dropped on the next write.
      rules[kind] = Array.isArray(list) ? list.filter((r): r is StoredRule => r !== null && typeof r === 'object' && typeof (r as { rule_id?: unknown }).rule_id === 'string') : [];
    }
    return rules;
  }

  /** Runs `change` on the stored rules after the user's earlier writes, then stores the result. */
  async #edit(userId: string, change: (rules: StoredRules) => void): Promise<void> {
    const previous = this.#queues.get(userId) ?? Promise.resolve();
    const run = previous.catch(() => {}).then(async () => {
      const rules = await this.#stored(userId);
      change(rules);
      await this.#accountData.set(userId, '', TYPE, { global: rules });
    });
    this.#queues.set(userId, run);
    try {
      await run;
    } finally {
      if (this.#queues.get(userId) === run) this.#queues.delete(userId);
    }
  }
}

function isDefaultRule(userId: string, kind: PushRuleKind, ruleId: string): boolean {
  return ruleId.startsWith('.') && defaultPushRules(userId)[kind].some((r) => r.rule_id === ruleId);
}
