import { MatrixError } from '@homeserver/http';
import { describe, expect, it } from 'vitest';
import { parsePusherSet } from './pusher-input.ts';

const URL_OK = 'https://push.example.org/_matrix/push/v1/notify';
const base = { kind: 'http', app_id: 'a', app_display_name: 'A', device_display_name: 'D', pushkey: 'k', lang: 'en', data: { url: URL_OK } };

function errorOf(body: unknown): { status: number; errcode: string; message: string } {
  try {
    parsePusherSet(body);
  } catch (error) {
    if (error instanceof MatrixError) return { status: error.status, errcode: error.errcode, message: error.message };
    throw error;
  }
  throw new Error('parsed');
}

describe('parsePusherSet', () => {
  it('reads a pusher, defaulting append and profile_tag', () => {
    expect(parsePusherSet(base)).toMatchObject({ action: 'set', kind: 'http', appId: 'a', pushkey: 'k', append: false, profileTag: '', data: { url: URL_OK } });
  });

  it('reads kind: null as a deletion, whatever else is missing', () => {
    expect(parsePusherSet({ kind: null, app_id: 'a', pushkey: 'k' })).toEqual({ action: 'delete', appId: 'a', pushkey: 'k' });
  });

  it('names every missing key at once', () => {
    expect(errorOf({ kind: 'http' })).toMatchObject({ status: 400, errcode: 'M_MISSING_PARAM' });
    expect(errorOf({ kind: 'http' }).message).toContain('"app_id"');
    expect(errorOf({ kind: 'http' }).message).toContain('"data"');
  });

  it("refuses what Synapse's HTTP pusher refuses, as Config Error", () => {
    expect(errorOf({ ...base, data: {} }).message).toBe("Config Error: 'url' required in data for HTTP pusher");
    expect(errorOf({ ...base, data: { url: 5 } }).message).toBe("Config Error: 'url' must be a string");
    expect(errorOf({ ...base, data: { url: 'https://x/push' } }).message).toBe("Config Error: 'url' must have a path of '/_matrix/push/v1/notify'");
    expect(errorOf({ ...base, data: null }).errcode).toBe('M_MISSING_PARAM');
    expect(errorOf({ ...base, kind: 'email' }).message).toMatch(/email pushers are not supported/);
    expect(errorOf({ ...base, kind: 'webpush' }).message).toMatch(/unknown pusher kind/);
  });

  it('refuses wrong types and the spec size limits with M_INVALID_PARAM, non-objects with M_BAD_JSON', () => {
    expect(errorOf({ ...base, app_id: 'x'.repeat(65) }).errcode).toBe('M_INVALID_PARAM');
    expect(errorOf({ ...base, pushkey: 'x'.repeat(513) }).errcode).toBe('M_INVALID_PARAM');
    expect(errorOf({ ...base, lang: 3 }).errcode).toBe('M_INVALID_PARAM');
    expect(errorOf({ ...base, append: 1 }).errcode).toBe('M_INVALID_PARAM');
    expect(errorOf({ ...base, kind: 4 }).errcode).toBe('M_INVALID_PARAM');
    expect(errorOf([base]).errcode).toBe('M_BAD_JSON');
    expect(errorOf('x').errcode).toBe('M_BAD_JSON');
  });
});
