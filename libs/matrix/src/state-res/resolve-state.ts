// Entry point of state resolution: picks v1, v2 or v2.1 from the room version.
import type { CheckAuthOptions } from '../auth/check-auth.ts';
import type { StateKey, StateMap } from '../room-event.ts';
import type { RoomVersion } from '../room-version.ts';
import type { AuthChainSource } from './auth-chain.ts';
import { AuthChains } from './auth-chain.ts';
import type { EventFetcher } from './event-source.ts';
import { resolveV1 } from './resolve-v1.ts';
import { resolveV2 } from './resolve-v2.ts';

export interface ResolveStateOptions {
  readonly roomVersion: RoomVersion;
  /** Returns any event the resolution needs (state set events and their auth chains), or undefined. */
  readonly fetchEvent: EventFetcher;
  /** Auth-chain accessor. Default: a fresh AuthChains over fetchEvent (pass a shared one to reuse its memo). */
  readonly authChains?: AuthChainSource;
  /** Whether an event was rejected. Default: no event is. */
  readonly isRejected?: (eventId: string) => boolean;
  /** Passed to checkAuth for every check. Default: checkAuth's defaults. */
  readonly authOptions?: CheckAuthOptions;
}

/** The resolution of `stateSets` (each a (type, state_key) → event ID map). */
export function resolveState(stateSets: readonly StateMap[], options: ResolveStateOptions): Map<StateKey, string> {
  const algorithm = options.roomVersion.stateResolution;
  const base = {
    fetchEvent: options.fetchEvent,
    ...(options.isRejected ? { isRejected: options.isRejected } : {}),
    ...(options.authOptions ? { authOptions: options.authOptions } : {}),
  };
  if (algorithm === 'v1') return resolveV1(stateSets, base);
  return resolveV2(stateSets, {
    ...base,
    chains: options.authChains ?? new AuthChains(options.fetchEvent),
    v21: algorithm === 'v2.1',
  });
}
