export * from './federation.ts';
export { createFederation, type FederationDeps } from './create-federation.ts';
