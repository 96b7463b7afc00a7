// Public entry of @homeserver/role-media: the content repository (uploads, async uploads,
// downloads, thumbnails, config, the media admin API) over Synapse's on-disk layout, and its
// lease-held background jobs. The role owns no stream and hosts no actor: every instance
// serves any media from the shared store and database.
export { createMediaRole } from './role-module.ts';
export type { MediaRoleOptions } from './role-module.ts';
export { MediaRepository } from './media-repository.ts';
export type { MediaRepositoryOptions, ServedThumbnail, ThumbnailWanted, UploadOptions } from './media-repository.ts';
export { MEDIA_JOBS_LEASE } from './jobs/background-jobs.ts';
export { MediaPaths, isValidMediaId, isValidServerName, thumbnailFileName } from './store/media-paths.ts';
