// A process's own membership report and when it is due in full (cluster-membership.ts): at once
// when its roles or hosted kinds change (placement follows them), at most every
// `fullReportEveryMs` when only the moving figures (positions, counts) do. Each report that
// differs from the one before gets the next number, which beats carry so a member lacking it can ask.
import type { MemberReport } from './cluster-view.ts';

/** What placement reads of a report; a change goes out at once. */
const identityOf = (report: MemberReport) => `${report.roles.join(' ')}|${report.hostedKinds.join(' ')}`;
/** The moving figures of a report; a change goes out with the next full report. */
const figuresOf = (report: MemberReport) => JSON.stringify([report.streamWriters, report.streamReaders, report.actorKinds]);

export class OwnReport {
  #fullReportEveryMs: number;
  #version = 0;
  #sentIdentity: string | undefined;
  #sentFigures: string | undefined;
  #fullSentAt = 0;

  constructor(fullReportEveryMs: number) {
    this.#fullReportEveryMs = fullReportEveryMs;
  }

  /** The number of the last full report. */
  get version(): number {
    return this.#version;
  }

  /** Whether `report` goes out in full now (`force`: someone asked); if so, it is the sent one from now on. */
  due(report: MemberReport, now: number, force: boolean): boolean {
    const identity = identityOf(report);
    const figures = figuresOf(report);
    const full = force || identity !== this.#sentIdentity || (figures !== this.#sentFigures && now - this.#fullSentAt >= this.#fullReportEveryMs);
    if (!full) return false;
    if (identity !== this.#sentIdentity || figures !== this.#sentFigures) this.#version++;
    this.#sentIdentity = identity;
    this.#sentFigures = figures;
    this.#fullSentAt = now;
    return true;
  }
}
