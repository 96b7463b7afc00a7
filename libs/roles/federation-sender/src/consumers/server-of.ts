// Helpers the federation sender's consumers share.

/** The server part of a user ID (after the first ':'). */
export function serverOf(userId: string): string {
  return userId.slice(userId.indexOf(':') + 1);
}
