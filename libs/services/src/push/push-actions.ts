// What each joined member's push rules say about new events (libs/matrix's evaluator), stored in
// event_push_actions: /sync counts them into unread_notifications after the member's read
// receipt, the pusher role pushes them, GET /notifications lists them.
//
// The room's persister writes them in the transaction that commits the events (issue 8), from
// what it holds in memory when it stages each event (the joined members and power levels, a
// PushContext): the rows are there as soon as an event is, so a /sync woken by the event counts
// it, and the readers of the events stream (sync, pusher) only read. Shared here because roles
// never import each other (sync's test writer uses it too).
import { evaluatePushRules, withDefaultRules, type JsonObject, type PushRule, type PushRuleKind } from '@homeserver/matrix';
import { insertPushActions, pushRulesContentOf, type PushActionRow, type Queryable } from '@homeserver/storage';

/** A user's own push rules (the `global` ruleset of their m.push_rules account data). */
export type OwnPushRules = Partial<Record<PushRuleKind, readonly PushRule[]>>;

/** The own push rules of each of these users; a user absent has the defaults only. */
export type PushRulesOf = (userIds: readonly string[], via: Queryable) => Promise<ReadonlyMap<string, OwnPushRules>>;

/** The room as an event met it: who was joined (user ID -> display name) and the power levels. */
export interface PushContext {
  readonly members: ReadonlyMap<string, string | undefined>;
  readonly powerLevels: JsonObject | undefined;
}

/** An event to evaluate, with the room as it met it. */
export interface PushCandidate {
  readonly eventId: string;
  readonly roomId: string;
  readonly sender: string;
  /** The event's PDU (its client form is this plus event_id and room_id). */
  readonly pdu: JsonObject;
  readonly streamOrdering: number;
  readonly context: PushContext;
}

export interface StorePushActionsOptions {
  /**
   * Only users of this server are evaluated (other servers evaluate their own users); every
   * member still counts in room_member_count. Default: every member.
   */
  readonly serverName?: string;
  /** Default: storedPushRules (m.push_rules account data, read through the same transaction). */
  readonly pushRulesOf?: PushRulesOf;
}

/**
 * Evaluates every member's rules (one read of the rules for the whole batch) and stores the
 * notifying outcomes through `tx`. Idempotent per (user, event). Returns the rows stored.
 */
export async function storePushActions(tx: Queryable, candidates: readonly PushCandidate[], options: StorePushActionsOptions = {}): Promise<readonly PushActionRow[]> {
  const rows = await evaluatePushActions(tx, candidates, options);
  await insertPushActions(tx, rows);
  return rows;
}

/**
 * The notifying outcomes storePushActions would store (reads the rules through `tx`, writes
 * nothing): for a writer that must know which events notify before it stores them.
 */
export async function evaluatePushActions(tx: Queryable, candidates: readonly PushCandidate[], options: StorePushActionsOptions = {}): Promise<readonly PushActionRow[]> {
  if (candidates.length === 0) return [];
  const suffix = options.serverName === undefined ? undefined : `:${options.serverName}`;
  const evaluated = (userId: string, sender: string) => userId !== sender && (suffix === undefined || userId.endsWith(suffix));
  const users = new Set<string>();
  for (const candidate of candidates) for (const member of audience(candidate).keys()) if (evaluated(member, candidate.sender)) users.add(member);
  if (users.size === 0) return [];
  const own = await (options.pushRulesOf ?? storedPushRules)([...users], tx);
  const rulesets = new Map<string, Ruleset>();
  const rulesetOf = (userId: string) => {
    let ruleset = rulesets.get(userId);
    if (!ruleset) rulesets.set(userId, (ruleset = withDefaultRules(own.get(userId) ?? {}, userId)));
    return ruleset;
  };
  return candidates.flatMap((candidate) => pushActionRows(candidate, (userId) => evaluated(userId, candidate.sender), rulesetOf));
}

type Ruleset = ReturnType<typeof withDefaultRules>;

/**
 * Whose rules an event is evaluated against: the joined members, and the target of an invite
 * (not joined yet, but told of it by push, as Synapse's bulk evaluator does).
 */
function audience(candidate: PushCandidate): ReadonlyMap<string, string | undefined> {
  const { members } = candidate.context;
  const content = candidate.pdu['content'] as Record<string, unknown> | undefined;
  const target = candidate.pdu['state_key'];
  if (candidate.pdu['type'] !== 'm.room.member' || content?.['membership'] !== 'invite' || typeof target !== 'string' || members.has(target)) return members;
  const displayName = typeof content['displayname'] === 'string' ? content['displayname'] : undefined;
  return new Map([...members, [target, displayName]]);
}

/** The notifying outcomes of one event for the members `evaluated` picks (pure). */
function pushActionRows(candidate: PushCandidate, evaluated: (userId: string) => boolean, rulesetOf: (userId: string) => Ruleset): PushActionRow[] {
  const { members, powerLevels } = candidate.context;
  const clientEvent: JsonObject = { ...candidate.pdu, event_id: candidate.eventId, room_id: candidate.roomId };
  const notifications = powerLevels?.['notifications'];
  const notificationPowerLevels = typeof notifications === 'object' && notifications !== null && !Array.isArray(notifications) ? (notifications as Record<string, number>) : {};
  const content = candidate.pdu['content'] as Record<string, unknown> | undefined;
  const relates = content?.['m.relates_to'] as Record<string, unknown> | undefined;
  const threadId = relates?.['rel_type'] === 'm.thread' && typeof relates['event_id'] === 'string' ? relates['event_id'] : 'main';
  const senderPowerLevel = senderLevel(powerLevels, candidate.sender);
  const rows: PushActionRow[] = [];
  for (const [userId, displayName] of audience(candidate)) {
    if (!evaluated(userId)) continue;
    const outcome = evaluatePushRules(clientEvent, {
      ruleset: rulesetOf(userId),
      context: { userId, displayName, roomMemberCount: members.size, senderPowerLevel, notificationPowerLevels },
    });
    if (!outcome?.notify) continue;
    rows.push({
      userId,
      eventId: candidate.eventId,
      roomId: candidate.roomId,
      streamOrdering: candidate.streamOrdering,
      threadId,
      notify: true,
      highlight: outcome.highlight,
      actions: outcome.actions,
    });
  }
  return rows;
}

function senderLevel(powerLevels: JsonObject | undefined, sender: string): number {
  const users = powerLevels?.['users'];
  if (users && typeof users === 'object' && !Array.isArray(users)) {
    const level = (users as Record<string, unknown>)[sender];
    if (typeof level === 'number') return level;
  }
  const usersDefault = powerLevels?.['users_default'];
  return typeof usersDefault === 'number' ? usersDefault : 0;
}

/** Users' push rules from their m.push_rules account data (the `global` ruleset), in one read. */
export const storedPushRules: PushRulesOf = async (userIds, via) => ownPushRules(await pushRulesContentOf(via, userIds));

/** The own rules (the `global` ruleset) of m.push_rules account data contents, by user. */
export function ownPushRules(contents: ReadonlyMap<string, Record<string, unknown>>): Map<string, OwnPushRules> {
  const rules = new Map<string, OwnPushRules>();
  for (const [userId, content] of contents) {
    const global = content['global'];
    if (global && typeof global === 'object' && !Array.isArray(global)) rules.set(userId, global as OwnPushRules);
  }
  return rules;
}
