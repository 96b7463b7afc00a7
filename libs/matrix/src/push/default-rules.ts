// The server-default push rules of spec v1.19 ("Predefined Rules"), in the spec's order.
// Since v1.17 there are no default content rules and no body-based mention rules.
import type { PushAction, PushRule, PushRuleKind, PushRuleset } from './push-rule.ts';

const SOUND_DEFAULT: PushAction = { set_tweak: 'sound', value: 'default' };
const HIGHLIGHT: PushAction = { set_tweak: 'highlight' };

function rule(rule_id: string, conditions: PushRule['conditions'], actions: PushAction[], enabled = true): PushRule {
  return { rule_id, default: true, enabled, conditions, actions };
}

/** The server-default rules for `userId` (several rules mention the user's own ID). */
export function defaultPushRules(userId: string): PushRuleset {
  return {
    override: [
      rule('.m.rule.master', [], [], false),
      rule('.m.rule.suppress_notices', [{ kind: 'event_match', key: 'content.msgtype', pattern: 'm.notice' }], []),
      rule(
        '.m.rule.invite_for_me',
        [
          { kind: 'event_match', key: 'type', pattern: 'm.room.member' },
          { kind: 'event_match', key: 'content.membership', pattern: 'invite' },
          { kind: 'event_match', key: 'state_key', pattern: userId },
        ],
        ['notify', SOUND_DEFAULT],
      ),
      rule('.m.rule.member_event', [{ kind: 'event_match', key: 'type', pattern: 'm.room.member' }], []),
      rule(
        '.m.rule.is_user_mention',
        [{ kind: 'event_property_contains', key: 'content.m\\.mentions.user_ids', value: userId }],
        ['notify', SOUND_DEFAULT, HIGHLIGHT],
      ),
      rule(
        '.m.rule.is_room_mention',
        [
          { kind: 'event_property_is', key: 'content.m\\.mentions.room', value: true },
          { kind: 'sender_notification_permission', key: 'room' },
        ],
        ['notify', HIGHLIGHT],
      ),
      rule(
        '.m.rule.tombstone',
        [
          { kind: 'event_match', key: 'type', pattern: 'm.room.tombstone' },
          { kind: 'event_match', key: 'state_key', pattern: '' },
        ],
        ['notify', HIGHLIGHT],
      ),
      rule('.m.rule.reaction', [{ kind: 'event_match', key: 'type', pattern: 'm.reaction' }], []),
      rule(
        '.m.rule.room.server_acl',
        [
          { kind: 'event_match', key: 'type', pattern: 'm.room.server_acl' },
          { kind: 'event_match', key: 'state_key', pattern: '' },
        ],
        [],
      ),
      rule('.m.rule.suppress_edits', [{ kind: 'event_property_is', key: 'content.m\\.relates_to.rel_type', value: 'm.replace' }], []),
    ],
    content: [],
    room: [],
    sender: [],
    underride: [
      rule('.m.rule.call', [{ kind: 'event_match', key: 'type', pattern: 'm.call.invite' }], [
        'notify',
        { set_tweak: 'sound', value: 'ring' },
      ]),
      rule(
        '.m.rule.encrypted_room_one_to_one',
        [
          { kind: 'room_member_count', is: '2' },
          { kind: 'event_match', key: 'type', pattern: 'm.room.encrypted' },
        ],
        ['notify', SOUND_DEFAULT],
      ),
      rule(
        '.m.rule.room_one_to_one',
        [
          { kind: 'room_member_count', is: '2' },
          { kind: 'event_match', key: 'type', pattern: 'm.room.message' },
        ],
        ['notify', SOUND_DEFAULT],
      ),
      rule('.m.rule.message', [{ kind: 'event_match', key: 'type', pattern: 'm.room.message' }], ['notify']),
      rule('.m.rule.encrypted', [{ kind: 'event_match', key: 'type', pattern: 'm.room.encrypted' }], ['notify']),
    ],
  };
}

const MASTER = '.m.rule.master';

/**
 * The effective ruleset: user-defined rules ahead of server defaults within each kind, except
 * `.m.rule.master`, which always comes first. Entries in `userRules` whose rule_id names a
 * server-default rule change that rule's `enabled` and `actions` instead of adding a rule; a
 * field such an entry lacks (or holds in the wrong type) keeps the default's value.
 */
export function withDefaultRules(userRules: Partial<PushRuleset>, userId: string): PushRuleset {
  const defaults = defaultPushRules(userId);
  const result = {} as Record<PushRuleKind, PushRule[]>;
  for (const kind of Object.keys(defaults) as PushRuleKind[]) {
    const own = userRules[kind] ?? [];
    const overrides = new Map(own.filter((r) => r.rule_id.startsWith('.')).map((r) => [r.rule_id, r]));
    const merged = defaults[kind].map((d) => {
      const o = overrides.get(d.rule_id);
      if (o === undefined) return d;
      const changed = o as { enabled?: unknown; actions?: unknown };
      return {
        ...d,
        enabled: typeof changed.enabled === 'boolean' ? changed.enabled : d.enabled,
        actions: Array.isArray(changed.actions) ? (changed.actions as PushRule['actions']) : d.actions,
      };
    });
    const custom = own.filter((r) => !r.rule_id.startsWith('.'));
    const master = merged.filter((r) => r.rule_id === MASTER);
    result[kind] = [...master, ...custom, ...merged.filter((r) => r.rule_id !== MASTER)];
  }
  return result;
}
