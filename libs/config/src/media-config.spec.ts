// The media keys: Synapse's defaults, its size suffixes, and URL previews refused without an
// IP blacklist.
import { describe, expect, it } from 'vitest';
import { DEFAULT_THUMBNAIL_SIZES, resolveMediaConfig, sizeBytes } from './media-config.ts';

describe('media config', () => {
  it("has Synapse's defaults", () => {
    const media = resolveMediaConfig({});
    expect(media).toMatchObject({ maxUploadSize: 50 * 1024 ** 2, maxImagePixels: 32 * 1024 ** 2, dynamicThumbnails: false, enableAuthenticatedMedia: true, maxPendingMediaUploads: 5, unusedExpirationTimeMs: 86_400_000 });
    expect(media.thumbnailSizes).toEqual(DEFAULT_THUMBNAIL_SIZES);
    expect(media.urlPreview).toBeUndefined();
    expect(media.localMediaLifetimeMs).toBeUndefined();
  });

  it('reads sizes, durations and thumbnail sizes', () => {
    expect([sizeBytes('10K', 0), sizeBytes('2M', 0), sizeBytes('1G', 0), sizeBytes(123, 0), sizeBytes(undefined, 7)]).toEqual([10_240, 2 * 1024 ** 2, 1024 ** 3, 123, 7]);
    const media = resolveMediaConfig({ thumbnail_sizes: [{ width: 10, height: 20 }], media_retention: { local_media_lifetime: '90d' }, unused_expiration_time: '2s' });
    expect(media.thumbnailSizes).toEqual([{ width: 10, height: 20, method: 'scale' }]);
    expect(media.localMediaLifetimeMs).toBe(90 * 86_400_000);
    expect(media.unusedExpirationTimeMs).toBe(2000);
  });

  it('needs url_preview_ip_range_blacklist when previews are on', () => {
    expect(() => resolveMediaConfig({ url_preview_enabled: true })).toThrow(/url_preview_ip_range_blacklist" is missing/);
    expect(resolveMediaConfig({ url_preview_enabled: true, url_preview_ip_range_blacklist: ['10.0.0.0/8'] }).urlPreview).toEqual({ ipRangeBlacklist: ['10.0.0.0/8'], ipRangeWhitelist: [], maxSpiderSize: 10 * 1024 ** 2 });
  });
});
