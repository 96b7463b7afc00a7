// Presence rows as the m.presence events of /sync (and of the legacy stream built from it).
import type { PresenceRecord } from '@homeserver/storage';

export function presenceEvent(p: PresenceRecord, now: number): Record<string, unknown> {
  return {
    type: 'm.presence',
    sender: p.userId,
    content: {
      presence: p.state,
      last_active_ago: Math.max(0, now - p.lastActiveTs),
      currently_active: p.currentlyActive,
      ...(p.statusMsg !== undefined ? { status_msg: p.statusMsg } : {}),
    },
  };
}
