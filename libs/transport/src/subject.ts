// Subject rules shared by every adapter, so a subject that works in the monolith works on
// NATS and Redis too. Subjects are dot-separated tokens; a subscription may end in `.>`
// (or be `>` alone) to match every subject with that prefix and at least one more token.
// Tokens may not contain whitespace, `*` or `>`: NATS would read those as wildcards.
import { InvalidSubjectError } from './errors.ts';

const badToken = /[\s*>]/;

function checkTokens(subject: string, tokens: readonly string[]): void {
  for (const token of tokens) {
    if (token === '') throw new InvalidSubjectError(subject, 'empty token (leading, trailing or doubled dot)');
    if (badToken.test(token)) throw new InvalidSubjectError(subject, 'tokens may not contain whitespace, "*" or ">"');
  }
}

// Hot subjects are checked once: publishers send the same few subjects over and over.
const knownGood = new Set<string>();
const KNOWN_GOOD_LIMIT = 10_000;

/** A concrete subject, as used by publish, serve and request. */
export function assertSubject(subject: string): void {
  if (knownGood.has(subject)) return;
  checkTokens(subject, subject.split('.'));
  if (knownGood.size >= KNOWN_GOOD_LIMIT) knownGood.clear();
  knownGood.add(subject);
}

/** A subscription subject: concrete, or a prefix followed by `.>`. */
export function assertPattern(pattern: string): void {
  if (pattern === '>') return;
  checkTokens(pattern, (pattern.endsWith('.>') ? pattern.slice(0, -2) : pattern).split('.'));
}

/** The prefix a `.>` pattern requires, with its trailing dot ('' for `>`), or undefined if concrete. */
export function wildcardPrefix(pattern: string): string | undefined {
  if (pattern === '>') return '';
  return pattern.endsWith('.>') ? pattern.slice(0, -1) : undefined;
}

export function subjectMatches(pattern: string, subject: string): boolean {
  const prefix = wildcardPrefix(pattern);
  if (prefix === undefined) return pattern === subject;
  return subject.length > prefix.length && subject.startsWith(prefix);
}
