// @homeserver/services/push: what each member's push rules say about new events (written by the
// room's persister with the events; sync reads them, the pusher pushes them).
export type { OwnPushRules, PushCandidate, PushContext, PushRulesOf, StorePushActionsOptions } from './push-actions.ts';
export { evaluatePushActions, ownPushRules, storedPushRules, storePushActions } from './push-actions.ts';
