// Placement that follows the live cluster. The design, chosen to need no shared config re-read
// and no coordinator:
//
// - A process hosts an actor kind because ITS OWN config (read when it started) says so, and it
//   announces the kinds it hosts in its heartbeat (cluster-membership.ts).
// - Every process places kind K by rendezvous hashing over the LIVE members announcing K. So
//   adding an event persister is: add it to `stream_writers.events` in the shared file (for the
//   sake of future restarts), start it; everyone counts it from its first heartbeat. Removing one
//   is: take it out of the file, stop it; its `leaving` heartbeat (or, if it died, the expiry of
//   its heartbeats) takes it out of everyone's placement. No other process restarts.
// - While no live member announces K (at start, before the first heartbeats, or while every
//   host of K is down), the kind is placed over this process's configured list, so calls go to
//   the instance the config names and fail there as unreachable, a clear error.
//
// Views differ for up to one heartbeat while members come and go; rendezvous hashing keeps the
// moved keys to those of the instance that joined or left, and the actor system drains and
// releases what it no longer owns (ActorSystem.rebalance). Room ownership itself is fenced by
// the room persister, so a stale view can delay a write but never fork a room.
import type { ClusterView } from './cluster-view.ts';
import { RendezvousPlacement, type Placement } from './placement.ts';

export interface LivePlacementOptions {
  /** Instances hosting each kind per this process's config; used while no live member announces the kind. */
  readonly configured: Readonly<Record<string, readonly string[]>>;
  /** Instances hosting kinds neither live members nor `configured` name. Default: none. */
  readonly fallback?: readonly string[];
}

export class LivePlacement implements Placement {
  #view: ClusterView;
  #configured: RendezvousPlacement;
  #live = new Map<string, RendezvousPlacement | null>();
  #listeners = new Set<() => void>();

  constructor(view: ClusterView, options: LivePlacementOptions) {
    this.#view = view;
    this.#configured = new RendezvousPlacement({ instances: options.configured, fallback: options.fallback });
    view.onChange(() => {
      this.#live.clear();
      for (const listener of this.#listeners) listener();
    });
  }

  instanceFor(kind: string, key: string): string {
    let live = this.#live.get(kind);
    if (live === undefined) {
      const hosts = this.#view.hostsOf(kind);
      live = hosts.length > 0 ? new RendezvousPlacement({ instances: { [kind]: hosts } }) : null;
      this.#live.set(kind, live);
    }
    return (live ?? this.#configured).instanceFor(kind, key);
  }

  /**
   * Who held (kind, key) before `self` joined: the live host the key maps to when `self` is left
   * out. A new owner asks it to release the key before creating the actor. Undefined when no
   * other live member hosts the kind.
   */
  previousOwner(kind: string, key: string, self: string): string | undefined {
    const others = this.#view.hostsOf(kind).filter((name) => name !== self);
    if (others.length === 0) return undefined;
    return new RendezvousPlacement({ instances: { [kind]: others } }).instanceFor(kind, key);
  }

  /** Called after the placement of some keys may have changed. Returns an unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }
}
