// What the relay puts in each view (cluster-membership.ts): every live member's heartbeat, with
// its stream and actor figures only where a follower may lack them: a report the views have not
// carried yet, one somebody asked for, or all of them after a hello or a takeover.
import type { IProcessHeartbeat } from '@homeserver/protocol';
import type { ClusterMember } from './cluster-view.ts';
import { heartbeatOf } from './heartbeat-codec.ts';

export class ViewEntries {
  /** Which report of each member the views carried last. */
  #sent = new Map<string, string>();
  #fullNext = new Set<string>();
  #allFullNext = false;

  /** The next view carries `workerName`'s full report. */
  full(workerName: string): void {
    this.#fullNext.add(workerName);
  }

  /** The next view carries every full report. */
  allFull(): void {
    this.#allFullNext = true;
  }

  /** The entries of a view sent now by `self`; each member's age is how long ago it was heard. */
  entries(members: Iterable<ClusterMember>, self: string, now: number): IProcessHeartbeat[] {
    const entries = [...members].map((member) => {
      const report = `${member.incarnation}:${member.reportVersion}`;
      const full = this.#allFullNext || this.#fullNext.has(member.workerName) || this.#sent.get(member.workerName) !== report;
      this.#sent.set(member.workerName, report);
      return heartbeatOf(member, { beat: !full, ageMs: member.workerName === self ? 0 : Math.max(0, now - member.lastSeenMs) });
    });
    this.#allFullNext = false;
    this.#fullNext.clear();
    return entries;
  }
}
