// The value every authorization check returns: allowed, or denied with the spec rule that
// denied it. Reasons are values, not exceptions, because state resolution runs thousands of
// checks where a denial is an ordinary outcome.

/** A stable name for the auth rule that denied an event, e.g. `member.join.banned`. */
export type AuthRule = string;

export type AuthResult =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly rule: AuthRule; readonly reason: string };

const ALLOWED: AuthResult = Object.freeze({ allowed: true });

export function allow(): AuthResult {
  return ALLOWED;
}

export function deny(rule: AuthRule, reason: string): AuthResult {
  return { allowed: false, rule, reason };
}
