// Public entry of @homeserver/config: homeserver.yaml loading, validation and defaults.
export type { CommandLine } from './cli.ts';
export { parseCommandLine } from './cli.ts';
export { ConfigError } from './config-error.ts';
export type { DefaultConfigOptions } from './default-config.ts';
export { defaultConfigYaml } from './default-config.ts';
export type { LoadConfigOptions } from './load-config.ts';
export { loadConfig, readConfigFile } from './load-config.ts';
export { durationMs } from './duration.ts';
export type { FederationConfig, TrustedKeyServer } from './federation-config.ts';
export { DEFAULT_IP_RANGE_BLACKLIST, checkIpRanges } from './federation-config.ts';
export type { MediaConfig, ThumbnailSizeConfig, UrlPreviewConfig } from './media-config.ts';
export { DEFAULT_THUMBNAIL_SIZES, sizeBytes } from './media-config.ts';
export type { DatabaseConfig, HomeserverConfig, RateLimits, TransportConfig, UserDirectoryConfig, VoipConfig } from './resolve-config.ts';
export { DEFAULT_CLIENT_PORT, resolveConfig } from './resolve-config.ts';
export type { DurationConfig, HomeserverConfigFile, ListenerConfig, RateLimitConfig, RoleName } from './schema.ts';
export { ROLE_NAMES } from './schema.ts';
export { validateConfig } from './validate.ts';
