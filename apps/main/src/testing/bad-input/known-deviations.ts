// Answers the sweep tolerates, each with its reason. Kept short on purpose: every entry is a
// deliberate behaviour (Synapse compatibility, an unimplemented optional parameter), not a bug.
import type { BadCase } from './bad-cases.ts';

interface Deviation {
  readonly url: RegExp;
  readonly kind: BadCase['kind'];
  readonly detail: string;
  readonly reason: string;
}

const DEVIATIONS: readonly Deviation[] = [
  { url: /\/rooms\/:roomId\/messages$/, kind: 'missing-query', detail: 'dir', reason: 'a missing dir defaults to "b", as in Synapse (v1.19 marks it required)' },
  { url: /\/receipt\/:receiptType\/:eventId$/, kind: 'non-object-body', detail: 'JSON null', reason: 'the receipt body is optional and null is read as "no thread"' },
  { url: /\/sync$/, kind: 'bad-query', detail: 'use_state_after', reason: 'use_state_after is not implemented and, like any unknown query parameter, ignored' },
];

/** The reason this (route, case) may be answered 2xx, or undefined. */
export function toleratedReason(routeUrl: string, badCase: BadCase): string | undefined {
  return DEVIATIONS.find((d) => d.kind === badCase.kind && d.url.test(routeUrl) && badCase.detail.includes(d.detail))?.reason;
}
