// Public entry of @homeserver/role-appservice: the appservice notifier (transactions to
// application services, sharded by appservice over notify_appservices_from_worker) and the
// appservice API module main hosts.
export type { NotifierOptions, RunningNotifier } from './role-modules.ts';
export { APPSERVICE_SHARDS, appserviceApiModule, createAppserviceNotifierModule, startAppserviceNotifier } from './role-modules.ts';
export type { TransactionStats } from './actors/transaction-senders.ts';
