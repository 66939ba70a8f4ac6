import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  amzDate,
  canonicalQuery,
  canonicalUri,
  EMPTY_PAYLOAD_HASH,
  parseAmzDate,
  parseAuthorization,
  sha256Hex,
  signRequest,
  uriEncode,
} from './sigv4.ts';

/**
 * The four examples of "Signature Calculations for the Authorization Header: Transferring
 * Payload in a Single Chunk (AWS Signature Version 4)", Amazon S3 API Reference
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html): the example
 * credentials, us-east-1, 24 May 2013 00:00:00 UTC, bucket `examplebucket`.
 */
const credentials = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};
const date = new Date('2013-05-24T00:00:00Z');
const base = 'https://examplebucket.s3.amazonaws.com';
const sign = (method: string, path: string, headers: Record<string, string>, payloadHash: string) =>
  signRequest({
    method,
    url: `${base}${path}`,
    headers,
    payloadHash,
    credentials,
    region: 'us-east-1',
    date,
  });
const credential = 'AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request';

describe('AWS SigV4: the published S3 examples', () => {
  it('GET object with a Range header', () => {
    const signed = sign('GET', '/test.txt', { Range: 'bytes=0-9' }, EMPTY_PAYLOAD_HASH);
    expect(signed.canonicalRequest).toBe(
      [
        'GET',
        '/test.txt',
        '',
        'host:examplebucket.s3.amazonaws.com',
        'range:bytes=0-9',
        `x-amz-content-sha256:${EMPTY_PAYLOAD_HASH}`,
        'x-amz-date:20130524T000000Z',
        '',
        'host;range;x-amz-content-sha256;x-amz-date',
        EMPTY_PAYLOAD_HASH,
      ].join('\n'),
    );
    expect(signed.stringToSign).toBe(
      [
        'AWS4-HMAC-SHA256',
        '20130524T000000Z',
        '20130524/us-east-1/s3/aws4_request',
        '7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972',
      ].join('\n'),
    );
    expect(signed.signature).toBe(
      'f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
    expect(signed.headers).toEqual({
      range: 'bytes=0-9',
      host: 'examplebucket.s3.amazonaws.com',
      'x-amz-date': '20130524T000000Z',
      'x-amz-content-sha256': EMPTY_PAYLOAD_HASH,
      authorization:
        `AWS4-HMAC-SHA256 Credential=${credential}, ` +
        'SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, ' +
        'Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    });
  });

  it('PUT object, with "$" in the key encoded as %24', () => {
    const body = 'Welcome to Amazon S3.';
    const payloadHash = sha256Hex(body);
    expect(payloadHash).toBe('44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072');
    const signed = sign(
      'PUT',
      '/test$file.text',
      { Date: 'Fri, 24 May 2013 00:00:00 GMT', 'x-amz-storage-class': 'REDUCED_REDUNDANCY' },
      payloadHash,
    );
    expect(signed.canonicalRequest.split('\n').slice(0, 2)).toEqual(['PUT', '/test%24file.text']);
    expect(signed.signedHeaders).toBe(
      'date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class',
    );
    expect(signed.stringToSign.split('\n')[3]).toBe(
      '9e0e90d9c76de8fa5b200d8c849cd5b8dc7a3be3951ddb7f6a76b4158342019d',
    );
    expect(signed.signature).toBe(
      '98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd',
    );
  });

  it('GET bucket lifecycle: a query parameter without a value', () => {
    const signed = sign('GET', '/?lifecycle', {}, EMPTY_PAYLOAD_HASH);
    expect(signed.canonicalRequest.split('\n').slice(0, 3)).toEqual(['GET', '/', 'lifecycle=']);
    expect(signed.signedHeaders).toBe('host;x-amz-content-sha256;x-amz-date');
    expect(signed.signature).toBe(
      'fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543',
    );
  });

  it('GET bucket (list objects): sorted query parameters', () => {
    const signed = sign('GET', '/?prefix=J&max-keys=2', {}, EMPTY_PAYLOAD_HASH);
    expect(signed.canonicalRequest.split('\n')[2]).toBe('max-keys=2&prefix=J');
    expect(signed.signature).toBe(
      '34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7',
    );
    // The order in the URL does not matter.
    expect(sign('GET', '/?max-keys=2&prefix=J', {}, EMPTY_PAYLOAD_HASH).signature).toBe(
      signed.signature,
    );
  });
});

describe('SigV4 canonical forms', () => {
  it('encodes with the RFC 3986 unreserved set, once, keeping "/" in paths', () => {
    expect(uriEncode('a b+c/d~e_f.g-h*')).toBe('a%20b%2Bc%2Fd~e_f.g-h%2A');
    expect(uriEncode('a b/c', true)).toBe('a%20b/c');
    expect(uriEncode('é')).toBe('%C3%A9');
    // URL pre-encodes some characters; the canonical URI is the same either way.
    expect(canonicalUri(new URL('http://h/a b/é$').pathname)).toBe('/a%20b/%C3%A9%24');
    expect(canonicalUri('/a b/é$')).toBe('/a%20b/%C3%A9%24');
    expect(canonicalUri('/a%2Fb')).toBe('/a%2Fb');
    expect(canonicalUri('/100%')).toBe('/100%25');
    expect(canonicalUri('')).toBe('/');
  });

  it('sorts and encodes the query string', () => {
    expect(canonicalQuery('?b=2&a=2&a=1&c')).toBe('a=1&a=2&b=2&c=');
    expect(canonicalQuery('?x=a%20b&y=a+b&z=%7e')).toBe('x=a%20b&y=a%2Bb&z=~');
    expect(canonicalQuery('')).toBe('');
  });

  it('lower-cases header names, trims values and collapses inner spaces', () => {
    const signed = signRequest({
      method: 'get',
      url: 'http://127.0.0.1:9000/bucket/key',
      headers: { 'X-Amz-Meta-Note': '  two   words\there ', 'User-Agent': 'whatever' },
      payloadHash: EMPTY_PAYLOAD_HASH,
      credentials,
      region: 'us-east-1',
      date,
    });
    const lines = signed.canonicalRequest.split('\n');
    expect(lines[0]).toBe('GET');
    expect(lines).toContain('host:127.0.0.1:9000'); // a non-default port is part of Host
    expect(lines).toContain('x-amz-meta-note:two words here');
    expect(signed.signedHeaders).toBe('host;x-amz-content-sha256;x-amz-date;x-amz-meta-note');
    expect(signed.headers['user-agent']).toBe('whatever'); // sent, not signed
    expect(signed.headers.host).toBe('127.0.0.1:9000');
    // The default port is not.
    expect(
      signRequest({
        method: 'GET',
        url: 'https://s3.example.org:443/b/k',
        payloadHash: EMPTY_PAYLOAD_HASH,
        credentials,
        region: 'us-east-1',
        date,
      }).headers.host,
    ).toBe('s3.example.org');
  });

  it('signs a session token as x-amz-security-token', () => {
    const signed = signRequest({
      method: 'GET',
      url: `${base}/k`,
      payloadHash: EMPTY_PAYLOAD_HASH,
      credentials: { ...credentials, sessionToken: 'token/with+chars' },
      region: 'eu-west-1',
      date,
    });
    expect(signed.headers['x-amz-security-token']).toBe('token/with+chars');
    expect(signed.signedHeaders).toBe('host;x-amz-content-sha256;x-amz-date;x-amz-security-token');
    expect(parseAuthorization(signed.headers.authorization ?? '')).toEqual({
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      day: '20130524',
      region: 'eu-west-1',
      service: 's3',
      signedHeaders: ['host', 'x-amz-content-sha256', 'x-amz-date', 'x-amz-security-token'],
      signature: signed.signature,
    });
  });

  it('reads back x-amz-date and refuses malformed values', () => {
    expect(amzDate(date)).toBe('20130524T000000Z');
    expect(parseAmzDate('20130524T000000Z')?.toISOString()).toBe('2013-05-24T00:00:00.000Z');
    expect(parseAmzDate('2013-05-24T00:00:00Z')).toBeUndefined();
    expect(parseAuthorization('AWS4-HMAC-SHA256 Credential=x')).toBeUndefined();
  });
});

describe('SigV4 properties', () => {
  const unreserved = fc.string({
    unit: fc.constantFrom(...'ABCXYZabcxyz0189-._~'.split('')),
    minLength: 1,
  });

  it('leaves unreserved characters alone, and encoding a path is idempotent', () => {
    fc.assert(
      fc.property(unreserved, (s) => uriEncode(s) === s && canonicalUri(`/${s}`) === `/${s}`),
    );
    fc.assert(
      fc.property(fc.array(fc.string(), { minLength: 1, maxLength: 4 }), (segments) => {
        const once = canonicalUri(`/${segments.join('/')}`);
        return canonicalUri(once) === once;
      }),
    );
  });

  it('changes the signature when the key, the payload or the secret changes', () => {
    fc.assert(
      fc.property(unreserved, unreserved, fc.string(), fc.string(), (k1, k2, p1, p2) => {
        fc.pre(k1 !== k2 && p1 !== p2);
        const of = (key: string, payload: string, secret = credentials.secretAccessKey) =>
          signRequest({
            method: 'PUT',
            url: `${base}/${key}`,
            payloadHash: sha256Hex(payload),
            credentials: { ...credentials, secretAccessKey: secret },
            region: 'us-east-1',
            date,
          }).signature;
        const reference = of(k1, p1);
        return (
          reference !== of(k2, p1) &&
          reference !== of(k1, p2) &&
          reference !== of(k1, p1, `${credentials.secretAccessKey}x`) &&
          reference === of(k1, p1)
        );
      }),
      { numRuns: 50 },
    );
  });
});
