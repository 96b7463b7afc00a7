// Public entry of @homeserver/services: the cross-role contracts, one folder and subpath each
// (`@homeserver/services/rooms`, `/streams`, ...); this entry re-exports them all.
export * from './process/index.ts';
export * from './rooms/index.ts';
export * from './streams/index.ts';
export * from './accounts/index.ts';
export * from './visibility/index.ts';
export * from './push/index.ts';
export * from './e2ee/index.ts';
