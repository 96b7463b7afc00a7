// Pagination tokens and ID checks of the rooms endpoints.
import { describe, expect, it } from 'vitest';
import { MatrixError } from '@homeserver/http';
import { aliasParam, eventIdParam, parsePositionToken, positionToken, roomIdParam, userIdParam } from './path-params.ts';

describe('path params', () => {
  it('reads our tokens and the events part of sync tokens', () => {
    expect(parsePositionToken(positionToken(42), 'from')).toBe(42);
    expect(parsePositionToken('s17_4_0_1', 'from')).toBe(17);
    // A multi-writer events position: the furthest writer counts.
    expect(parsePositionToken('s10~1.15~2.12_3', 'from')).toBe(15);
    // Behind the timeline (backfilled history): negative positions.
    expect(positionToken(-5)).toBe('n5');
    expect(parsePositionToken('n5', 'from')).toBe(-5);
  });

  it('refuses malformed tokens and IDs with M_INVALID_PARAM', () => {
    for (const bad of ['', 'x', 's', 's-1', 't5', 's1~x', '5', 'n', 'n-1']) {
      expect(() => parsePositionToken(bad, 'from')).toThrow(MatrixError);
    }
    expect(() => roomIdParam('room')).toThrow(/not a valid room ID/);
    expect(() => eventIdParam('event')).toThrow(/not a valid event ID/);
    expect(() => userIdParam(42)).toThrow(/not a valid user ID/);
    expect(() => aliasParam('#nohost')).toThrow(/not a valid room alias/);
    expect(roomIdParam('!abc:example.org')).toBe('!abc:example.org');
  });
});
