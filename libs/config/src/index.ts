// Public entry of @homeserver/config: homeserver.yaml loading, validation and defaults.
export type { AppserviceNamespace, AppserviceRegistration } from './appservice-config.ts';
export { loadAppserviceRegistrations, parseAppserviceRegistration } from './appservice-config.ts';
export type { CommandLine } from './cli.ts';
export { parseCommandLine } from './cli.ts';
export { ConfigError } from './config-error.ts';
export type { DefaultConfigOptions } from './default-config.ts';
export { defaultConfigYaml } from './default-config.ts';
export type { LoadConfigOptions, LoadedConfig } from './load-config.ts';
export { loadConfig, loadConfigWithDigest, readConfigFile } from './load-config.ts';
export { durationMs } from './duration.ts';
export type { FederationConfig, TrustedKeyServer } from './federation-config.ts';
export { DEFAULT_IP_RANGE_BLACKLIST, checkIpRanges } from './federation-config.ts';
export type { MediaConfig, ThumbnailSizeConfig, UrlPreviewConfig } from './media-config.ts';
export { DEFAULT_THUMBNAIL_SIZES, sizeBytes } from './media-config.ts';
export type { DatabaseConfig, HomeserverConfig, RateLimits, ServerNoticesConfig, TransportConfig, UserDirectoryConfig, VoipConfig } from './resolve-config.ts';
export { DEFAULT_CLIENT_PORT, resolveConfig } from './resolve-config.ts';
export type { DurationConfig, HomeserverConfigFile, ListenerConfig, RateLimitConfig, RoleName } from './schema.ts';
export { ROLE_NAMES } from './role-names.ts';
