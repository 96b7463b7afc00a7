// Who is making a client request, as established by the access token.

export interface Requester {
  readonly userId: string;
  readonly deviceId: string;
  /** Row id of the access token, so logout can revoke exactly this one. */
  readonly accessTokenId: number;
  readonly isGuest: boolean;
}
