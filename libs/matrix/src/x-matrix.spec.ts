import { sign, createPrivateKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeBase64, encodeUnpaddedBase64 } from './base64.ts';
import { SignatureError } from './errors.ts';
import { SigningKey } from './keys.ts';
import { parseXMatrixAuthorization, requestSigningObject, signRequest, verifyRequestSignature } from './x-matrix.ts';

// The signing key of the spec's "Signing JSON" appendix examples.
const SEED = 'YJDBA9Xnr2sVqXD9Vj7XVUnmFZcZrlw8Md7kMW+3XA1';
const key = SigningKey.fromSeed(decodeBase64(SEED), 'key1');

const request = {
  method: 'POST',
  uri: '/target',
  origin: 'origin.hs.example.com',
  destination: 'destination.hs.example.com',
  content: { b: 2, a: [1, 'x'] },
};

describe('X-Matrix request signing', () => {
  it('signs the canonical JSON of method, uri, origin, destination and content (checked against a hand-written canonical form)', () => {
    const canonical = '{"content":{"a":[1,"x"],"b":2},"destination":"destination.hs.example.com","method":"POST","origin":"origin.hs.example.com","uri":"/target"}';
    const pkcs8 = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), decodeBase64(SEED)]);
    const expected = encodeUnpaddedBase64(sign(null, Buffer.from(canonical), createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' })));
    expect(signRequest(request, key)).toBe(
      `X-Matrix origin="origin.hs.example.com",destination="destination.hs.example.com",key="ed25519:key1",sig="${expected}"`,
    );
  });

  it('leaves content out of the signed object for requests without a body', () => {
    const { content: _content, ...bodyless } = request;
    expect(requestSigningObject(bodyless)).toEqual({ method: 'POST', uri: '/target', origin: 'origin.hs.example.com', destination: 'destination.hs.example.com' });
  });
});

describe('X-Matrix header parsing', () => {
  it("reads the spec's example header", () => {
    expect(parseXMatrixAuthorization('X-Matrix origin="origin.hs.example.com",destination="destination.hs.example.com",key="ed25519:key1",sig="ABCDEF..."')).toEqual({
      origin: 'origin.hs.example.com',
      destination: 'destination.hs.example.com',
      key: 'ed25519:key1',
      sig: 'ABCDEF...',
    });
  });

  it('accepts unquoted values, spaces after commas, any case of scheme and names, and no destination (pre-v1.3 senders)', () => {
    const parsed = parseXMatrixAuthorization('x-matrix Origin=matrix.org:8448, KEY="ed25519:a_b", sig=abc+/9, extra="ignored"');
    expect(parsed).toEqual({ origin: 'matrix.org:8448', destination: undefined, key: 'ed25519:a_b', sig: 'abc+/9' });
  });

  it('undoes backslash escapes in quoted values', () => {
    expect(parseXMatrixAuthorization('X-Matrix origin="a.example",key="ed25519:1",sig="x\\"y"').sig).toBe('x"y');
  });

  it.each([
    ['Bearer abc', 'X-Matrix scheme'],
    ['X-Matrix key="ed25519:1",sig="x"', 'origin'],
    ['X-Matrix origin="not a server",key="ed25519:1",sig="x"', 'origin'],
    ['X-Matrix origin="a.example",sig="x"', 'key'],
    ['X-Matrix origin="a.example",key="nocolon",sig="x"', 'key'],
    ['X-Matrix origin="a.example",key="ed25519:1"', 'sig'],
    ['X-Matrix origin="a.example,key="ed25519:1",sig="x"', 'separated'],
    ['X-Matrix origin="a.example",key="ed25519:1",sig="x', 'unterminated'],
    ['X-Matrix origin', 'no value'],
  ])('refuses %j, naming %s', (header, words) => {
    expect(() => parseXMatrixAuthorization(header)).toThrow(SignatureError);
    expect(() => parseXMatrixAuthorization(header)).toThrow(words);
  });
});

describe('X-Matrix verification', () => {
  const header = parseXMatrixAuthorization(signRequest(request, key));
  const ours = { destination: 'destination.hs.example.com', publicKey: key.publicKey };

  it('accepts the request as signed', () => {
    expect(() => verifyRequestSignature(header, request, ours)).not.toThrow();
  });

  it('accepts a header without destination when the signature covers our name', () => {
    expect(() => verifyRequestSignature({ ...header, destination: undefined }, request, ours)).not.toThrow();
  });

  it.each([
    ['another method', { ...request, method: 'PUT' }],
    ['another uri', { ...request, uri: '/target?x=1' }],
    ['another body', { ...request, content: { b: 3, a: [1, 'x'] } }],
    ['no body', { method: request.method, uri: request.uri }],
  ])('refuses the signature for %s', (_what, changed) => {
    expect(() => verifyRequestSignature(header, changed, ours)).toThrow(SignatureError);
  });

  it('refuses a request signed for another destination, naming both', () => {
    expect(() => verifyRequestSignature(header, request, { ...ours, destination: 'us.example' })).toThrow(
      'request is signed for destination destination.hs.example.com, not us.example',
    );
  });

  it('refuses a header whose origin was changed, and a signature by another key', () => {
    expect(() => verifyRequestSignature({ ...header, origin: 'evil.example' }, request, ours)).toThrow(SignatureError);
    const other = SigningKey.fromSeed(new Uint8Array(32).fill(7), 'key1');
    expect(() => verifyRequestSignature(header, request, { ...ours, publicKey: other.publicKey })).toThrow(SignatureError);
  });
});
