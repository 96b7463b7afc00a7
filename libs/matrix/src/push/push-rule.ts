// Push rule data types as they appear in the `m.push_rules` account data and the push rules
// API (client-server API, "Push Rules").
import type { JsonObject, JsonValue } from '../json.ts';

export type PushRuleKind = 'override' | 'content' | 'room' | 'sender' | 'underride';

/** Kinds in the order they are evaluated. */
export const PUSH_RULE_KINDS: readonly PushRuleKind[] = ['override', 'content', 'room', 'sender', 'underride'];

export type PushCondition =
  | { readonly kind: 'event_match'; readonly key: string; readonly pattern: string }
  | { readonly kind: 'event_property_is'; readonly key: string; readonly value: JsonValue }
  | { readonly kind: 'event_property_contains'; readonly key: string; readonly value: JsonValue }
  | { readonly kind: 'contains_display_name' }
  | { readonly kind: 'room_member_count'; readonly is: string }
  | { readonly kind: 'sender_notification_permission'; readonly key: string }
  /** Unknown kinds never match, as the spec requires. */
  | { readonly kind: string; readonly [param: string]: JsonValue };

/** `"notify"` or a tweak such as `{ set_tweak: 'sound', value: 'default' }`; unknown actions pass through. */
export type PushAction = string | JsonObject;

export interface PushRule {
  readonly rule_id: string;
  readonly default: boolean;
  readonly enabled: boolean;
  readonly actions: readonly PushAction[];
  /** override/underride rules only. */
  readonly conditions?: readonly PushCondition[];
  /** content rules only: a glob matched against content.body at word boundaries. */
  readonly pattern?: string;
}

export type PushRuleset = { readonly [K in PushRuleKind]: readonly PushRule[] };

/** What the evaluation context knows about the room and the user being notified. */
export interface PushContext {
  /** The user whose rules these are. */
  readonly userId: string;
  /** The user's display name in the room; contains_display_name never matches without one. */
  readonly displayName?: string;
  readonly roomMemberCount: number;
  /** The sender's power level in the room. */
  readonly senderPowerLevel: number;
  /** `notifications` of m.room.power_levels; a missing key requires level 50. Default: {}. */
  readonly notificationPowerLevels?: Readonly<Record<string, number>>;
}
