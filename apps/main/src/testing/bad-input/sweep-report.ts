// Tallies the sweep (routes x case kinds, answers by status, slowest answer) and renders the
// summary table and the failure list the test prints.
import { CASE_KINDS, type BadCase, type CaseKind } from './bad-cases.ts';
import type { Answer } from './check-answer.ts';

export interface SweepFailure {
  readonly route: string;
  readonly kind: CaseKind | 'after-route';
  readonly detail: string;
  readonly problems: readonly string[];
}

export class SweepReport {
  readonly failures: SweepFailure[] = [];
  readonly #sent = new Map<CaseKind, number>();
  readonly #failed = new Map<CaseKind, number>();
  readonly #routesPerKind = new Map<CaseKind, Set<string>>();
  readonly #statuses = new Map<number, number>();
  readonly #routes = new Set<string>();
  #slowest = { ms: 0, what: '' };
  readonly #tolerated = new Map<string, number>();

  record(route: string, badCase: BadCase, answer: Answer, problems: readonly string[]): void {
    this.#routes.add(route);
    this.#sent.set(badCase.kind, (this.#sent.get(badCase.kind) ?? 0) + 1);
    let routes = this.#routesPerKind.get(badCase.kind);
    if (routes === undefined) this.#routesPerKind.set(badCase.kind, (routes = new Set()));
    routes.add(route);
    this.#statuses.set(answer.status, (this.#statuses.get(answer.status) ?? 0) + 1);
    if (answer.ms > this.#slowest.ms) this.#slowest = { ms: answer.ms, what: `${badCase.method} ${badCase.url.slice(0, 120)} (${badCase.kind})` };
    if (problems.length > 0) {
      this.#failed.set(badCase.kind, (this.#failed.get(badCase.kind) ?? 0) + 1);
      this.failures.push({ route, kind: badCase.kind, detail: `${badCase.detail} -> ${answer.status}`, problems });
    }
  }

  /** An answer accepted only because of a documented deviation. */
  tolerate(reason: string): void {
    this.#tolerated.set(reason, (this.#tolerated.get(reason) ?? 0) + 1);
  }

  fail(route: string, detail: string, problems: readonly string[]): void {
    this.failures.push({ route, kind: 'after-route', detail, problems });
  }

  get requests(): number {
    return [...this.#sent.values()].reduce((a, b) => a + b, 0);
  }

  summary(): string {
    const lines = [`bad-input sweep: ${this.#routes.size} routes (method + URL), ${this.requests} bad requests, ${this.failures.length} failures`];
    lines.push('case kind          routes  requests  failed');
    for (const kind of CASE_KINDS) {
      const sent = this.#sent.get(kind) ?? 0;
      if (sent === 0) continue;
      lines.push(`${kind.padEnd(18)} ${String(this.#routesPerKind.get(kind)?.size ?? 0).padStart(6)}  ${String(sent).padStart(8)}  ${String(this.#failed.get(kind) ?? 0).padStart(6)}`);
    }
    const statuses = [...this.#statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}: ${n}`).join(', ');
    lines.push(`answers by status: ${statuses}`);
    for (const [reason, count] of this.#tolerated) lines.push(`tolerated ${count}x: ${reason}`);
    lines.push(`slowest answer: ${Math.round(this.#slowest.ms)} ms, ${this.#slowest.what}`);
    return lines.join('\n');
  }

  failureList(limit = 200): string {
    return this.failures.slice(0, limit).map((f) => `${f.route} [${f.kind}] ${f.detail}: ${f.problems.join('; ')}`).join('\n');
  }
}
