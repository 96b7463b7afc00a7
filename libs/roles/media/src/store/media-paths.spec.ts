// Synapse's on-disk layout, and the checks that keep paths inside the store.
import { describe, expect, it } from 'vitest';
import { contentDisposition, isInlineSafe, servedContentType } from '../http/media-headers.ts';
import { parseRange } from '../http/byte-range.ts';
import { isValidMediaId, isValidServerName, MediaPaths, newMediaId } from './media-paths.ts';

describe('MediaPaths', () => {
  const paths = new MediaPaths('/store');

  it('lays files out as Synapse does', () => {
    expect(paths.localContent('GerZNDnDZVjsOtardLuwfIBg')).toBe('/store/local_content/Ge/rZ/NDnDZVjsOtardLuwfIBg');
    expect(paths.localThumbnail('GerZNDnDZVjsOtardLuwfIBg', { width: 32, height: 32, type: 'image/jpeg', method: 'crop', animated: false })).toBe(
      '/store/local_thumbnails/Ge/rZ/NDnDZVjsOtardLuwfIBg/32-32-image-jpeg-crop',
    );
    expect(paths.remoteContent('matrix.org', 'abcdefgh')).toBe('/store/remote_content/matrix.org/ab/cd/efgh');
  });

  it('refuses IDs and server names that could leave the store', () => {
    for (const bad of ['../../etc/passwd', '..', 'a/b', 'a\\b', '', 'x'.repeat(256), 'ab%2e']) {
      expect(isValidMediaId(bad), bad).toBe(false);
      expect(() => paths.localContent(bad)).toThrow(RangeError);
    }
    for (const bad of ['..', '../x', 'a/b', '', '.hidden', 'a..b']) expect(isValidServerName(bad), bad).toBe(false);
    for (const good of ['matrix.org', 'localhost:8448', '[::1]:8448', '1.2.3.4']) expect(isValidServerName(good), good).toBe(true);
    expect(newMediaId()).toMatch(/^[A-Za-z]{24}$/);
  });
});

describe('media headers and ranges', () => {
  it('serves inline only the spec safe types', () => {
    expect(isInlineSafe('image/png')).toBe(true);
    expect(isInlineSafe('IMAGE/PNG; foo=bar')).toBe(true);
    for (const type of ['text/html', 'image/svg+xml', 'application/javascript', 'application/xhtml+xml']) expect(isInlineSafe(type), type).toBe(false);
    expect(contentDisposition('text/html', 'x.html')).toBe('attachment; filename="x.html"');
    expect(contentDisposition('image/png', 'naïve "q".png')).toBe("inline; filename*=utf-8''na%C3%AFve%20%22q%22.png");
    expect(servedContentType(null)).toBe('application/octet-stream');
    expect(servedContentType('text/plain')).toBe('text/plain; charset=utf-8');
  });

  it('parses single byte ranges', () => {
    expect(parseRange(undefined, 100)).toEqual({ kind: 'whole' });
    expect(parseRange('bytes=0-9', 100)).toEqual({ kind: 'partial', start: 0, end: 9 });
    expect(parseRange('bytes=90-', 100)).toEqual({ kind: 'partial', start: 90, end: 99 });
    expect(parseRange('bytes=-5', 100)).toEqual({ kind: 'partial', start: 95, end: 99 });
    expect(parseRange('bytes=50-500', 100)).toEqual({ kind: 'partial', start: 50, end: 99 });
    expect(parseRange('bytes=100-', 100)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=0-1,5-6', 100)).toEqual({ kind: 'whole' });
    expect(parseRange('items=0-1', 100)).toEqual({ kind: 'whole' });
  });
});
