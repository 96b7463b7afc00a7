// The apps (worker_app values), apart from the schema: resolving a config needs them, and must
// not load TypeBox to get them.
export const ROLE_NAMES = ['main', 'sync', 'federation-reader', 'federation-sender', 'pusher', 'media', 'event-persister'] as const;
export type RoleName = (typeof ROLE_NAMES)[number];
