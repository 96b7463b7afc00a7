// Test support (not exported): runs table-driven authorization cases, one test per
// (row, room version), and counts them so the suite can assert its own coverage.
import { expect, it } from 'vitest';
import type { RoomEvent } from '../room-event.ts';
import type { AuthState } from './auth-state.ts';
import type { CheckAuthOptions } from './check-auth.ts';
import { checkAuth } from './check-auth.ts';
import { standardRoom, type TestRoom } from './test-builder.ts';

export interface AuthCase {
  readonly name: string;
  readonly versions: readonly string[];
  /** Expected outcome: 'allow', or the rule name that must deny the event. */
  readonly expect: string;
  /** Default: standardRoom(version). */
  readonly room?: (version: string) => TestRoom;
  /** Builds (and may set up state for) the event under test. */
  readonly event: (room: TestRoom) => RoomEvent;
  /** Default: the room's current state. */
  readonly state?: (room: TestRoom) => AuthState;
  readonly options?: CheckAuthOptions;
}

const range = (from: number, to: number): string[] => Array.from({ length: to - from + 1 }, (_, i) => String(from + i));
export const ALL = range(1, 12);
export const V = { range, from: (n: number) => range(n, 12), upTo: (n: number) => range(1, n) };

export function runAuthCases(cases: readonly AuthCase[]): number {
  let count = 0;
  for (const c of cases) {
    for (const version of c.versions) {
      count += 1;
      it(`v${version}: ${c.name} → ${c.expect}`, () => {
        const room = (c.room ?? ((v: string) => standardRoom(v)))(version);
        const event = c.event(room);
        const state = c.state?.(room) ?? room.authState();
        const result = checkAuth(event, state, c.options);
        expect(result.allowed ? 'allow' : result.rule, result.allowed ? 'allowed' : result.reason).toBe(c.expect);
      });
    }
  }
  return count;
}
