import { describe, expect, it } from 'vitest';
import { InvalidSubjectError } from './errors.ts';
import { assertPattern, assertSubject, subjectMatches } from './subject.ts';

describe('subjects', () => {
  it('accepts dot-separated tokens, including Matrix identifier characters', () => {
    expect(() => assertSubject('actor.room.!abc:[::1]')).not.toThrow();
    expect(() => assertPattern('repl.>')).not.toThrow();
    expect(() => assertPattern('>')).not.toThrow();
  });

  it.each(['', 'a.', '.a', 'a..b', 'a b', 'a.*', 'a.>', 'a>b'])('rejects %j as a concrete subject', (subject) => {
    expect(() => assertSubject(subject)).toThrow(InvalidSubjectError);
  });

  it.each(['a.>.b', 'a.*', '>.a', 'a..>'])('rejects %j as a pattern', (pattern) => {
    expect(() => assertPattern(pattern)).toThrow(InvalidSubjectError);
  });

  it('matches `.>` against one or more further tokens', () => {
    expect(subjectMatches('a.>', 'a.b')).toBe(true);
    expect(subjectMatches('a.>', 'a.b.c')).toBe(true);
    expect(subjectMatches('a.>', 'a')).toBe(false);
    expect(subjectMatches('a.>', 'ab.c')).toBe(false);
    expect(subjectMatches('>', 'a')).toBe(true);
    expect(subjectMatches('a.b', 'a.b')).toBe(true);
    expect(subjectMatches('a.b', 'a.bc')).toBe(false);
  });
});
