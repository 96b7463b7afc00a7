import { describe, expect, it } from 'vitest';
import { serverAclAllows } from './server-acl.ts';

describe('serverAclAllows', () => {
  it('allows servers matching allow and not deny, ignoring the port', () => {
    const acl = { allow: ['*'], deny: ['evil.example', '*.bad.example'] };
    expect(serverAclAllows(acl, 'good.example:8448')).toBe(true);
    expect(serverAclAllows(acl, 'evil.example:8448')).toBe(false);
    expect(serverAclAllows(acl, 'x.bad.example')).toBe(false);
  });

  it('refuses servers no allow entry matches, and matches ? as one character', () => {
    expect(serverAclAllows({ allow: ['ab?.example'] }, 'abc.example')).toBe(true);
    expect(serverAclAllows({ allow: ['ab?.example'] }, 'abcd.example')).toBe(false);
    expect(serverAclAllows({}, 'abc.example')).toBe(false);
  });

  it('refuses IP literals only when allow_ip_literals is false', () => {
    expect(serverAclAllows({ allow: ['*'] }, '1.2.3.4:8448')).toBe(true);
    expect(serverAclAllows({ allow: ['*'], allow_ip_literals: false }, '1.2.3.4')).toBe(false);
    expect(serverAclAllows({ allow: ['*'], allow_ip_literals: false }, '[::1]:8448')).toBe(false);
  });

  it('allows nothing under malformed content', () => {
    expect(serverAclAllows(null, 'a.example')).toBe(false);
    expect(serverAclAllows({ allow: ['*'], allow_ip_literals: 'yes' }, 'a.example')).toBe(false);
  });
});
