// The headers every media answer carries against stored XSS and for caching (spec "Serving
// inline content" and Synapse's media repository): the stored Content-Type, Content-Disposition
// `inline` only for the spec's safe types and `attachment` otherwise, a sandboxing CSP, nosniff,
// a cross-origin resource policy (clients fetch media from other origins) and long caching
// (media never changes under its ID).

/** Types the spec lets servers serve inline (v1.12+); everything else is an attachment. */
const INLINE_SAFE = new Set([
  'text/css',
  'text/plain',
  'text/csv',
  'application/json',
  'application/ld+json',
  'image/jpeg',
  'image/gif',
  'image/png',
  'image/apng',
  'image/webp',
  'image/avif',
  'video/mp4',
  'video/webm',
  'video/ogg',
  'video/quicktime',
  'audio/mp4',
  'audio/webm',
  'audio/aac',
  'audio/mpeg',
  'audio/ogg',
  'audio/wave',
  'audio/wav',
  'audio/x-wav',
  'audio/x-pn-wav',
  'audio/flac',
  'audio/x-flac',
]);

/** The bare media type (no parameters), lower case. */
export function essence(contentType: string): string {
  return contentType.split(';')[0]!.trim().toLowerCase();
}

export function isInlineSafe(contentType: string): boolean {
  return INLINE_SAFE.has(essence(contentType));
}

// RFC 6266/5987: a quoted ASCII filename when it is plain, else filename*=utf-8''<percent-encoded>.
function dispositionFilename(name: string): string {
  if (/^[\x20-\x7e]*$/.test(name) && !/["\\]/.test(name)) return `filename="${name}"`;
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `filename*=utf-8''${encoded}`;
}

export function contentDisposition(contentType: string, fileName: string | null | undefined): string {
  const kind = isInlineSafe(contentType) ? 'inline' : 'attachment';
  return fileName ? `${kind}; ${dispositionFilename(fileName)}` : kind;
}

/** Synapse's policy: nothing in a media answer may run script or load other content. */
export const MEDIA_CSP = "sandbox; default-src 'none'; script-src 'none'; plugin-types application/pdf; style-src 'unsafe-inline'; media-src 'self'; object-src 'self';";

/**
 * Text types are sent with `charset=utf-8` when the uploader named none (browsers would sniff
 * one otherwise); everything else goes out as stored.
 */
export function servedContentType(stored: string | null): string {
  const type = stored && stored.trim() !== '' ? stored : 'application/octet-stream';
  if (/^text\//i.test(type) && !/charset=/i.test(type)) return `${type}; charset=utf-8`;
  return type;
}

export function mediaHeaders(options: { contentType: string; fileName: string | null | undefined; etag: string }): Record<string, string> {
  return {
    'content-type': options.contentType,
    'content-disposition': contentDisposition(options.contentType, options.fileName),
    'content-security-policy': MEDIA_CSP,
    'x-content-type-options': 'nosniff',
    'cross-origin-resource-policy': 'cross-origin',
    'referrer-policy': 'no-referrer',
    'cache-control': 'public, max-age=86400, s-maxage=86400, immutable',
    etag: options.etag,
    'accept-ranges': 'bytes',
  };
}
