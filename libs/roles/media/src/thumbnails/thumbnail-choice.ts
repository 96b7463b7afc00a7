// Which stored thumbnail size answers a request when sizes are not made on demand, in the
// manner of Synapse's _select_thumbnail: for crop, the smallest configured crop at least as big
// as asked (else the biggest crop); for scale, or when no crop size exists, the smallest size
// covering the asked width or height (else the biggest).
import type { ThumbnailSizeConfig } from '@homeserver/config';
import type { ThumbnailMethod } from './thumbnailer.ts';

export function chooseThumbnailSize(sizes: readonly ThumbnailSizeConfig[], wanted: { width: number; height: number; method: ThumbnailMethod }): ThumbnailSizeConfig | undefined {
  const area = (s: ThumbnailSizeConfig) => s.width * s.height;
  const pick = (candidates: readonly ThumbnailSizeConfig[], covers: (s: ThumbnailSizeConfig) => boolean) => {
    const covering = candidates.filter(covers).sort((a, b) => area(a) - area(b));
    if (covering.length > 0) return covering[0];
    return [...candidates].sort((a, b) => area(b) - area(a))[0];
  };
  if (wanted.method === 'crop') {
    const crops = sizes.filter((s) => s.method === 'crop');
    if (crops.length > 0) return pick(crops, (s) => s.width >= wanted.width && s.height >= wanted.height);
  }
  const scales = sizes.filter((s) => s.method === 'scale');
  return pick(scales.length > 0 ? scales : sizes, (s) => s.width >= wanted.width || s.height >= wanted.height);
}
