// Which events interest an appservice (spec: "events for which the sender, the state key of a
// member event, a member of the room, the room's ID or one of its aliases fall in the
// appservice's namespaces"; Synapse also counts the appservice's own sender). Pure: the rooms'
// joined members and aliases are read by the caller once per batch.
import type { AppserviceRegistration } from '@homeserver/config';
import { Appservices } from '@homeserver/services';

export interface RoomAudience {
  readonly members: readonly string[];
  readonly aliases: readonly string[];
}

export interface InterestingEvent {
  readonly roomId: string;
  readonly sender: string;
  readonly type: string;
  readonly stateKey: string | undefined;
}

const claimsUser = (appservice: AppserviceRegistration, userId: string) => Appservices.mayActAs(appservice, userId);

/** Whether anything in the room (its ID, aliases or joined members) is the appservice's. */
export function roomInterests(appservice: AppserviceRegistration, roomId: string, audience: RoomAudience | undefined): boolean {
  if (Appservices.claims(appservice, 'rooms', roomId)) return true;
  if (audience === undefined) return false;
  return audience.aliases.some((alias) => Appservices.claims(appservice, 'aliases', alias)) || audience.members.some((member) => claimsUser(appservice, member));
}

export function eventInterests(appservice: AppserviceRegistration, event: InterestingEvent, audience: RoomAudience | undefined): boolean {
  if (claimsUser(appservice, event.sender)) return true;
  if (event.type === 'm.room.member' && event.stateKey !== undefined && claimsUser(appservice, event.stateKey)) return true;
  return roomInterests(appservice, event.roomId, audience);
}
