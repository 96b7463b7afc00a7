// Computes, as new events reach the sync role, what each joined member's push rules say about
// them (libs/matrix's evaluator) and stores notifying outcomes in event_push_actions, which
// unread_notifications counts after the member's read receipt. Idempotent per (user, event),
// so several sync instances computing the same rows is harmless.
import { evaluatePushRules, withDefaultRules, type JsonObject, type PushRule, type PushRuleKind } from '@homeserver/matrix';
import { getCurrentStateEvent, getEvents, getRoomMembers, insertPushActions, type Database, type EventStreamRow, type PushActionRow } from '@homeserver/storage';
import type { StreamRecord } from '@homeserver/streams';

/** A user's own push rules (CS-accounts' m.push_rules account data); undefined = defaults only. */
export type PushRulesOf = (userId: string) => Promise<Partial<Record<PushRuleKind, readonly PushRule[]>> | undefined>;

export interface PushActionsOptions {
  /** Default: every user has the default rules. */
  readonly pushRulesOf?: PushRulesOf;
}

export function pushActionsHook(db: Database, options: PushActionsOptions = {}): (records: readonly StreamRecord<EventStreamRow>[]) => Promise<void> {
  return async (records) => {
    const events = await getEvents(db, records.map((r) => r.data.eventId));
    const rows: PushActionRow[] = [];
    for (const event of events.values()) {
      if (event.rejected !== undefined) continue;
      const members = await getRoomMembers(db, event.roomId, { memberships: ['join'] });
      const powerLevels = (await getCurrentStateEvent(db, event.roomId, { type: 'm.room.power_levels', stateKey: '' }))?.pdu['content'] as JsonObject | undefined;
      const clientEvent: JsonObject = { ...(event.pdu as JsonObject), event_id: event.eventId, room_id: event.roomId };
      const notifications = powerLevels?.['notifications'];
      const content = event.pdu['content'] as Record<string, unknown> | undefined;
      const relates = content?.['m.relates_to'] as Record<string, unknown> | undefined;
      const threadId = relates?.['rel_type'] === 'm.thread' && typeof relates['event_id'] === 'string' ? relates['event_id'] : 'main';
      for (const member of members) {
        if (member.userId === event.sender) continue;
        const ruleset = withDefaultRules((await options.pushRulesOf?.(member.userId)) ?? {}, member.userId);
        const outcome = evaluatePushRules(clientEvent, {
          ruleset,
          context: {
            userId: member.userId,
            displayName: member.displayName,
            roomMemberCount: members.length,
            senderPowerLevel: senderLevel(powerLevels, event.sender),
            notificationPowerLevels: typeof notifications === 'object' && notifications !== null && !Array.isArray(notifications) ? (notifications as Record<string, number>) : {},
          },
        });
        if (!outcome?.notify) continue;
        rows.push({
          userId: member.userId,
          eventId: event.eventId,
          roomId: event.roomId,
          streamOrdering: event.streamOrdering,
          threadId,
          notify: true,
          highlight: outcome.highlight,
          actions: outcome.actions,
        });
      }
    }
    await insertPushActions(db, rows);
  };
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
