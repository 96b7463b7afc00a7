// Who is making a client request, as established by the access token.

export interface Requester {
  readonly userId: string;
  readonly deviceId: string;
  /** Row id of the access token, so logout can revoke exactly this one. */
  readonly accessTokenId: number;
  readonly isGuest: boolean;
  /** A server admin (Synapse's users.admin). Default: false. */
  readonly admin?: boolean;
  /**
   * Set when the request came with an application service's as_token: the id of that appservice
   * (the requester is its sender, or with ?user_id= one of its users). Default: none.
   */
  readonly appserviceId?: string;
  /** Shadow-banned by an admin: their sends succeed without reaching anyone. Default: false. */
  readonly shadowBanned?: boolean;
}
