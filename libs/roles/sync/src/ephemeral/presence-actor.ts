// Presence set as a side effect of /sync (`set_presence`): one actor per user, hosted where the
// presence stream is written (main by default), told by whichever process serves the sync.
// It writes only when the state changes or the last write is a minute old, so a client
// long-polling every few seconds does not turn each poll into a presence row.
import { defineActor, type ActorDefinition } from '@homeserver/actors';
import type { PresenceRow } from '@homeserver/storage';
import type { StreamWriter } from '@homeserver/streams';
import { setPresence } from './presence-service.ts';

export const PRESENCE_ACTOR_KIND = 'presence';
const REFRESH_MS = 60_000;

export interface PresenceHandler {
  setFromSync(message: { state: string }): Promise<null>;
}

/** The definition the presence writer's process hosts. */
export function presenceActorDefinition(writer: StreamWriter<PresenceRow>, now: () => number): ActorDefinition<PresenceHandler> {
  return defineActor<PresenceHandler>(PRESENCE_ACTOR_KIND, {
    passivateAfterMs: 5 * 60_000,
    create: (userId) => {
      let last: { state: string; at: number } | undefined;
      return {
        async setFromSync({ state }) {
          const at = now();
          if (last && last.state === state && at - last.at < REFRESH_MS) return null;
          await setPresence(writer, userId, { state, now: at });
          last = { state, at };
          return null;
        },
      };
    },
  });
}

/** The same kind as seen by callers that do not host it (the sync role); never activated here. */
export const presenceActorClientDefinition: ActorDefinition<PresenceHandler> = defineActor<PresenceHandler>(PRESENCE_ACTOR_KIND, {
  create: () => {
    throw new Error('presence actors are hosted by the presence stream writer (the main role), not here');
  },
});
