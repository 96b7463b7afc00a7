// The spec's default push rules on realistic events.
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../json.ts';
import { defaultPushRules, withDefaultRules } from './default-rules.ts';
import { evaluatePushRules } from './evaluator.ts';
import type { PushContext, PushRule, PushRuleset } from './push-rule.ts';

const ME = '@me:example.org';
const ctx: PushContext = { userId: ME, displayName: 'Mia', roomMemberCount: 10, senderPowerLevel: 0 };
const rules = defaultPushRules(ME);
const evaluate = (event: JsonObject, context: PushContext = ctx, ruleset: PushRuleset = rules) =>
  evaluatePushRules(event, { ruleset, context });

const message = (content: JsonObject, extra: JsonObject = {}): JsonObject => ({
  type: 'm.room.message',
  sender: '@bob:example.org',
  room_id: '!room:example.org',
  event_id: '$e',
  content: { msgtype: 'm.text', body: 'hello', ...content },
  ...extra,
});

describe('default push rules', () => {
  it('lists the spec’s rules in order', () => {
    expect(rules.override.map((r) => r.rule_id)).toEqual([
      '.m.rule.master', '.m.rule.suppress_notices', '.m.rule.invite_for_me', '.m.rule.member_event',
      '.m.rule.is_user_mention', '.m.rule.is_room_mention', '.m.rule.tombstone', '.m.rule.reaction',
      '.m.rule.room.server_acl', '.m.rule.suppress_edits',
    ]);
    expect(rules.content).toEqual([]);
    expect(rules.underride.map((r) => r.rule_id)).toEqual([
      '.m.rule.call', '.m.rule.encrypted_room_one_to_one', '.m.rule.room_one_to_one', '.m.rule.message', '.m.rule.encrypted',
    ]);
  });

  it('plain group messages notify without sound or highlight', () => {
    expect(evaluate(message({}))).toMatchObject({ ruleId: '.m.rule.message', notify: true, highlight: false, sound: undefined });
  });

  it('DMs (two members) notify with sound, encrypted ones too', () => {
    const dm = { ...ctx, roomMemberCount: 2 };
    expect(evaluate(message({}), dm)).toMatchObject({ ruleId: '.m.rule.room_one_to_one', notify: true, sound: 'default' });
    const encrypted = { type: 'm.room.encrypted', sender: '@bob:example.org', room_id: '!r', content: { algorithm: 'm.megolm.v1.aes-sha2', ciphertext: 'x' } };
    expect(evaluate(encrypted, dm)).toMatchObject({ ruleId: '.m.rule.encrypted_room_one_to_one', sound: 'default' });
    expect(evaluate(encrypted)).toMatchObject({ ruleId: '.m.rule.encrypted', notify: true, sound: undefined });
  });

  it('user mentions highlight with sound', () => {
    const event = message({ body: 'hey', 'm.mentions': { user_ids: ['@other:x', ME] } });
    expect(evaluate(event)).toMatchObject({ ruleId: '.m.rule.is_user_mention', notify: true, highlight: true, sound: 'default' });
    expect(evaluate(message({ body: `hey ${ME}` }))?.ruleId).toBe('.m.rule.message');
  });

  it('@room highlights only when the sender may notify the room', () => {
    const event = message({ body: '@room lunch!', 'm.mentions': { room: true } });
    expect(evaluate(event, { ...ctx, senderPowerLevel: 50 })).toMatchObject({ ruleId: '.m.rule.is_room_mention', highlight: true });
    expect(evaluate(event, { ...ctx, senderPowerLevel: 0 })).toMatchObject({ ruleId: '.m.rule.message', highlight: false });
    expect(evaluate(event, { ...ctx, senderPowerLevel: 0, notificationPowerLevels: { room: 0 } })?.ruleId).toBe('.m.rule.is_room_mention');
  });

  it('edits, notices, reactions, ACLs and member events are silent', () => {
    const edit = message({ body: '* fixed', 'm.new_content': { body: 'fixed' }, 'm.relates_to': { rel_type: 'm.replace', event_id: '$x' } });
    expect(evaluate(edit)).toMatchObject({ ruleId: '.m.rule.suppress_edits', notify: false, actions: [] });
    expect(evaluate(message({ msgtype: 'm.notice' }))).toMatchObject({ ruleId: '.m.rule.suppress_notices', notify: false });
    expect(evaluate({ type: 'm.reaction', sender: '@bob:x', content: { 'm.relates_to': { rel_type: 'm.annotation', key: '👍' } } })?.ruleId).toBe('.m.rule.reaction');
    expect(evaluate({ type: 'm.room.server_acl', state_key: '', sender: '@bob:x', content: { allow: ['*'] } })?.notify).toBe(false);
    expect(evaluate({ type: 'm.room.member', state_key: '@carol:x', sender: '@carol:x', content: { membership: 'join' } })?.ruleId).toBe('.m.rule.member_event');
  });

  it('an edit that mentions the user still highlights (mention rule comes first)', () => {
    const edit = message({ 'm.mentions': { user_ids: [ME] }, 'm.relates_to': { rel_type: 'm.replace', event_id: '$x' } });
    expect(evaluate(edit)?.ruleId).toBe('.m.rule.is_user_mention');
  });

  it('invites for me notify with sound; invites for others do not', () => {
    const invite = (target: string) => ({ type: 'm.room.member', state_key: target, sender: '@bob:x', content: { membership: 'invite' } });
    expect(evaluate(invite(ME))).toMatchObject({ ruleId: '.m.rule.invite_for_me', notify: true, sound: 'default' });
    expect(evaluate(invite('@other:x'))).toMatchObject({ ruleId: '.m.rule.member_event', notify: false });
  });

  it('tombstones highlight; calls ring', () => {
    expect(evaluate({ type: 'm.room.tombstone', state_key: '', sender: '@bob:x', content: { body: 'moved', replacement_room: '!n' } })).toMatchObject({ highlight: true, notify: true });
    expect(evaluate({ type: 'm.call.invite', sender: '@bob:x', content: {} })).toMatchObject({ ruleId: '.m.rule.call', sound: 'ring' });
  });

  it('never notifies for the user’s own events or unmatched events', () => {
    expect(evaluate(message({}, { sender: ME }))).toBeUndefined();
    expect(evaluate({ type: 'org.example.custom', sender: '@bob:x', content: {} })).toBeUndefined();
  });
});

describe('user rules merged with defaults', () => {
  const custom = (rule: Partial<PushRule> & { rule_id: string }): PushRule => ({ default: false, enabled: true, actions: ['notify'], ...rule });

  it('master rule, when enabled, silences everything', () => {
    const merged = withDefaultRules({ override: [{ ...custom({ rule_id: '.m.rule.master', actions: [] }), default: true }] }, ME);
    expect(evaluate(message({ 'm.mentions': { user_ids: [ME] } }), ctx, merged)).toMatchObject({ ruleId: '.m.rule.master', notify: false });
  });

  it('content rules match body words; room and sender rules match IDs; historical actions are stripped', () => {
    const merged = withDefaultRules(
      {
        content: [custom({ rule_id: 'cake', pattern: 'cake*', actions: ['notify', { set_tweak: 'highlight', value: false }, 'coalesce'] })],
        room: [custom({ rule_id: '!quiet:example.org', actions: ['dont_notify'] })],
        sender: [custom({ rule_id: '@boss:example.org', actions: ['notify', { set_tweak: 'sound', value: 'boss' }] })],
      },
      ME,
    );
    expect(evaluate(message({ body: 'Cakes for all!' }), ctx, merged)).toMatchObject({ kind: 'content', ruleId: 'cake', highlight: false, actions: ['notify', { set_tweak: 'highlight', value: false }] });
    expect(evaluate(message({ body: 'pancakes' }), ctx, merged)?.ruleId).toBe('.m.rule.message');
    expect(evaluate(message({}, { room_id: '!quiet:example.org' }), ctx, merged)).toMatchObject({ kind: 'room', notify: false, actions: [] });
    expect(evaluate(message({}, { sender: '@boss:example.org' }), ctx, merged)).toMatchObject({ kind: 'sender', sound: 'boss' });
  });

  it('a default rule changed in one field keeps the default value of the other', () => {
    const merged = withDefaultRules({ underride: [{ rule_id: '.m.rule.message', default: true, enabled: false } as unknown as PushRule], override: [{ rule_id: '.m.rule.master', default: true, actions: [] } as unknown as PushRule] }, ME);
    const message = merged.underride.find((r) => r.rule_id === '.m.rule.message')!;
    const defaults = defaultPushRules(ME).underride.find((r) => r.rule_id === '.m.rule.message')!;
    expect([message.enabled, message.actions]).toEqual([false, defaults.actions]);
    expect([merged.override[0]!.enabled, merged.override[0]!.actions]).toEqual([false, []]);
  });

  it('user overrides precede defaults; disabling a default falls through to the next rule', () => {
    const merged = withDefaultRules(
      {
        override: [
          custom({ rule_id: 'all-notices', conditions: [{ kind: 'event_match', key: 'content.msgtype', pattern: 'm.notice' }] }),
          { ...custom({ rule_id: '.m.rule.suppress_edits' }), default: true, enabled: false },
        ],
      },
      ME,
    );
    expect(merged.override[0]!.rule_id).toBe('.m.rule.master');
    expect(merged.override[1]!.rule_id).toBe('all-notices');
    expect(evaluate(message({ msgtype: 'm.notice' }), ctx, merged)?.ruleId).toBe('all-notices');
    const edit = message({ 'm.relates_to': { rel_type: 'm.replace', event_id: '$x' } });
    expect(evaluate(edit, ctx, merged)?.ruleId).toBe('.m.rule.message');
  });
});
