// Whether an m.device_list_update can be applied to the cached list as it is: only when it
// continues the chain of updates the cache already holds. Its prev_id must name the stream_id
// the cache is at; anything else means an update was missed (or the cache is new or marked
// stale), and the whole list is fetched again from the user's server.
import type { RemoteDeviceListState } from '@homeserver/storage';

export type ChainStep = 'apply' | 'ignore' | 'resync';

export function nextChainStep(cached: RemoteDeviceListState | undefined, update: { streamId: number; prevIds: readonly number[] }): ChainStep {
  if (cached === undefined) return 'resync';
  // Already covered by what the cache holds (a re-sent EDU, or one older than the last resync).
  if (update.streamId <= cached.streamId) return 'ignore';
  if (cached.resyncNeeded) return 'resync';
  // No prev_id: the sender does not know what we hold, so nothing proves the chain is whole.
  if (update.prevIds.length === 0) return 'resync';
  return update.prevIds.every((id) => id === cached.streamId) ? 'apply' : 'resync';
}
