/**
 * SigV4 verification against AWS's published signing test suite (the "aws-sig-v4-test-suite" requests as AWS's
 * own aws-c-auth carries them: tests/aws-signing-test-suite/v4/<case>/header-signed-request.txt, with the suite's
 * example credentials, region us-east-1, service "service", 2015-08-30T12:36:00Z), and AWS's answers to requests
 * that are not signed right.
 */
import { describe, expect, it } from 'vitest';
import type { KmsCredentials } from '../api';
import { authenticate } from './authenticate';
import { canonicalQuery, canonicalUri, type HeaderMap, type SignableRequest } from './sigv4';

const SUITE_CREDENTIALS: KmsCredentials = {
  principalArn: 'arn:aws:iam::111122223333:user/example',
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};
const SUITE_TOKEN = '6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267';
const SUITE_TIME = new Date('2015-08-30T12:36:00Z');
const AUTH = (signedHeaders: string, signature: string) =>
  `Authorization:AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=${signedHeaders}, Signature=${signature}`;

/** The suite's signed requests, verbatim (header lines "Name:value"; continuation lines start with spaces). */
const SUITE: Record<string, string> = {
  'get-vanilla-with-session-token': [
    'GET / HTTP/1.1',
    'Host:example.amazonaws.com',
    AUTH(
      'host;x-amz-date;x-amz-security-token',
      '07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8',
    ),
    'X-Amz-Date:20150830T123600Z',
    `X-Amz-Security-Token:${SUITE_TOKEN}`,
    '',
    '',
  ].join('\n'),
  'post-vanilla': [
    'POST / HTTP/1.1',
    'Host:example.amazonaws.com',
    AUTH('host;x-amz-date', '5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b'),
    'X-Amz-Date:20150830T123600Z',
    '',
    '',
  ].join('\n'),
  'post-x-www-form-urlencoded': [
    'POST / HTTP/1.1',
    'Content-Type:application/x-www-form-urlencoded',
    'Host:example.amazonaws.com',
    'Content-Length:13',
    'x-amz-content-sha256:9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e',
    AUTH(
      'content-length;content-type;host;x-amz-content-sha256;x-amz-date',
      'd3875051da38690788ef43de4db0d8f280229d82040bfac253562e56c3f20e0b',
    ),
    'X-Amz-Date:20150830T123600Z',
    '',
    'Param1=value1',
  ].join('\n'),
  'get-header-value-trim': [
    'GET / HTTP/1.1',
    'Host:example.amazonaws.com',
    'My-Header1: value1',
    'My-Header2: "a   b   c"',
    AUTH(
      'host;my-header1;my-header2;x-amz-date',
      'acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736',
    ),
    'X-Amz-Date:20150830T123600Z',
    '',
    '',
  ].join('\n'),
  'get-header-key-duplicate': [
    'GET / HTTP/1.1',
    'Host:example.amazonaws.com',
    'My-Header1:value2',
    'My-Header1:value2',
    'My-Header1:value1',
    AUTH('host;my-header1;x-amz-date', 'c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea'),
    'X-Amz-Date:20150830T123600Z',
    '',
    '',
  ].join('\n'),
  'get-header-value-multiline': [
    'GET / HTTP/1.1',
    'Host:example.amazonaws.com',
    'My-Header1:value1',
    '  value2',
    '     value3',
    AUTH('host;my-header1;x-amz-date', 'ba17b383a53190154eb5fa66a1b836cc297cc0a3d70a5d00705980573d8ff790'),
    'X-Amz-Date:20150830T123600Z',
    '',
    '',
  ].join('\n'),
  'get-vanilla-query-order-key-case': [
    'GET /?Param2=value2&Param1=value1 HTTP/1.1',
    'Host:example.amazonaws.com',
    AUTH('host;x-amz-date', 'b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500'),
    'X-Amz-Date:20150830T123600Z',
    '',
    '',
  ].join('\n'),
  'get-vanilla-query-unreserved': [
    'GET /?-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz HTTP/1.1',
    'Host:example.amazonaws.com',
    AUTH('host;x-amz-date', '9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197'),
    'X-Amz-Date:20150830T123600Z',
    '',
    '',
  ].join('\n'),
  'get-vanilla-utf8-query': [
    'GET /?ሴ=bar HTTP/1.1',
    'Host:example.amazonaws.com',
    AUTH('host;x-amz-date', '2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04'),
    'X-Amz-Date:20150830T123600Z',
    '',
    '',
  ].join('\n'),
  'get-utf8': [
    'GET /ሴ HTTP/1.1',
    'Host:example.amazonaws.com',
    AUTH('host;x-amz-date', '8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85'),
    'X-Amz-Date:20150830T123600Z',
    '',
    '',
  ].join('\n'),
  'get-space-normalized': [
    'GET /example space/ HTTP/1.1',
    'Host:example.amazonaws.com',
    AUTH('host;x-amz-date', '652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741'),
    'X-Amz-Date:20150830T123600Z',
    '',
    '',
  ].join('\n'),
  'get-slashes-normalized': [
    'GET //example// HTTP/1.1',
    'Host:example.amazonaws.com',
    AUTH('host;x-amz-date', '9a624bd73a37c9a373b5312afbebe7a714a789de108f0bdfe846570885f57e84'),
    'X-Amz-Date:20150830T123600Z',
    '',
    '',
  ].join('\n'),
  'get-relative-relative-normalized': [
    'GET /example1/example2/../.. HTTP/1.1',
    'Host:example.amazonaws.com',
    AUTH('host;x-amz-date', '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31'),
    'X-Amz-Date:20150830T123600Z',
    '',
    '',
  ].join('\n'),
};

/**
 * Parses the suite's request text into the verifier's form (lowercase names, repeated headers as lists). As in
 * aws-c-auth, a continuation line is one more value of the header above it (its canonical request shows
 * `my-header1:value1,value2,value3`).
 */
function parseSuiteRequest(text: string): SignableRequest {
  const [head, body = ''] = text.split(/\n\n/, 2);
  const [requestLine, ...lines] = head.split('\n');
  const method = requestLine.slice(0, requestLine.indexOf(' '));
  const url = requestLine.slice(method.length + 1, requestLine.lastIndexOf(' HTTP/'));
  const headers: Record<string, string[]> = {};
  let last: string[] | undefined;
  for (const line of lines) {
    if (/^\s/.test(line) && last) {
      last.push(line);
      continue;
    }
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).toLowerCase();
    last = headers[name] ??= [];
    last.push(line.slice(colon + 1));
  }
  const map: HeaderMap = {};
  for (const [name, values] of Object.entries(headers)) map[name] = values.length === 1 ? values[0] : values;
  return { method, url, headers: map, body: new TextEncoder().encode(body) };
}

const suiteOptions = (credentials: KmsCredentials = SUITE_CREDENTIALS, now = SUITE_TIME) => ({
  service: 'service',
  now,
  findCredentials: (id: string) => (id === credentials.accessKeyId ? credentials : undefined),
});

async function refusal(request: SignableRequest, options = suiteOptions()) {
  try {
    await authenticate(request, options);
  } catch (error) {
    const e = error as { type: string; message: string; httpStatus: number };
    return { type: e.type, message: e.message, status: e.httpStatus };
  }
  return undefined;
}

describe('SigV4: AWS signing test suite', () => {
  const credentialsOf = (name: string) =>
    name === 'get-vanilla-with-session-token'
      ? { ...SUITE_CREDENTIALS, sessionToken: SUITE_TOKEN }
      : SUITE_CREDENTIALS;
  for (const [name, text] of Object.entries(SUITE)) {
    it(`accepts ${name}`, async () => {
      const signer = await authenticate(parseSuiteRequest(text), suiteOptions(credentialsOf(name)));
      expect(signer).toEqual({ credentials: credentialsOf(name), region: 'us-east-1' });
    });

    it(`refuses ${name} with one signature character changed`, async () => {
      const request = parseSuiteRequest(text);
      const header = request.headers.authorization as string;
      request.headers.authorization = header.slice(0, -1) + (header.at(-1) === '0' ? '1' : '0');
      expect(await refusal(request, suiteOptions(credentialsOf(name)))).toMatchObject({
        type: 'InvalidSignatureException',
        status: 400,
      });
    });
  }

  it('builds the canonical pieces as the suite does', () => {
    expect(canonicalUri('//example//')).toBe('/example/');
    expect(canonicalUri('/example1/example2/../..')).toBe('/');
    expect(canonicalUri('/example space/')).toBe('/example%20space/');
    expect(canonicalUri('/a%20b')).toBe('/a%2520b'); // encoded once more, as for every service but S3
    expect(canonicalQuery('Param2=value2&Param1=value1')).toBe('Param1=value1&Param2=value2');
    expect(canonicalQuery('b=2&a=2&a=1&c')).toBe('a=1&a=2&b=2&c=');
  });
});

describe("SigV4: AWS's answers to requests that are not signed right", () => {
  const good = () => parseSuiteRequest(SUITE['post-vanilla']);

  it('no Authorization header: MissingAuthenticationTokenException, 403', async () => {
    const request = good();
    delete request.headers.authorization;
    expect(await refusal(request)).toEqual({
      type: 'MissingAuthenticationTokenException',
      message: 'Missing Authentication Token',
      status: 403,
    });
  });

  it('another signing scheme: IncompleteSignatureException naming what SigV4 needs', async () => {
    const request = good();
    request.headers.authorization = 'AWS AKIDEXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg=';
    expect(await refusal(request)).toEqual({
      type: 'IncompleteSignatureException',
      message:
        "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization=AWS AKIDEXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg=",
      status: 400,
    });
  });

  it('a parameter without "=", a missing date, a short credential', async () => {
    const noEquals = good();
    noEquals.headers.authorization =
      'AWS4-HMAC-SHA256 Credential AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=00';
    expect((await refusal(noEquals))?.message).toBe(
      `'Credential AKIDEXAMPLE/20150830/us-east-1/service/aws4_request' not a valid key=value pair (missing equal-sign) in Authorization header: '${noEquals.headers.authorization}'.`,
    );
    const noDate = good();
    delete noDate.headers['x-amz-date'];
    expect(await refusal(noDate)).toMatchObject({
      type: 'IncompleteSignatureException',
      message: expect.stringContaining(
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
      ),
    });
    const shortCredential = good();
    shortCredential.headers.authorization = (shortCredential.headers.authorization as string).replace(
      '/service/aws4_request',
      '/service',
    );
    expect((await refusal(shortCredential))?.message).toBe(
      "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'AKIDEXAMPLE/20150830/us-east-1/service'",
    );
  });

  it('a scope for another service or day: InvalidSignatureException', async () => {
    expect(await refusal(good(), { ...suiteOptions(), service: 'kms' })).toEqual({
      type: 'InvalidSignatureException',
      message: "Credential should be scoped to correct service: 'kms'. ",
      status: 400,
    });
    const otherDay = good();
    otherDay.headers['x-amz-date'] = '20150831T003600Z';
    expect(
      (await refusal(otherDay, suiteOptions(undefined, new Date('2015-08-31T00:36:00Z'))))?.message,
    ).toBe(
      "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20150830' != '20150831', from '20150831T003600Z'.",
    );
  });

  it('more than 5 minutes old or early: InvalidSignatureException with the window', async () => {
    const late = new Date(SUITE_TIME.getTime() + 5 * 60_000 + 1000);
    expect(await refusal(good(), suiteOptions(undefined, late))).toEqual({
      type: 'InvalidSignatureException',
      message:
        'Signature expired: 20150830T123600Z is now earlier than 20150830T123601Z (20150830T124101Z - 5 min.)',
      status: 400,
    });
    const early = new Date(SUITE_TIME.getTime() - 5 * 60_000 - 1000);
    expect((await refusal(good(), suiteOptions(undefined, early)))?.message).toBe(
      'Signature not yet current: 20150830T123600Z is still later than 20150830T123559Z (20150830T123059Z + 5 min.)',
    );
    // Just inside the window is fine.
    await expect(
      authenticate(good(), suiteOptions(undefined, new Date(SUITE_TIME.getTime() + 299_000))),
    ).resolves.toBeDefined();
  });

  it('an unknown access key or a wrong session token: UnrecognizedClientException', async () => {
    const unknown = { type: 'UnrecognizedClientException', status: 400 };
    expect(await refusal(good(), { ...suiteOptions(), findCredentials: () => undefined })).toMatchObject({
      ...unknown,
      message: 'The security token included in the request is invalid.',
    });
    const session = parseSuiteRequest(SUITE['get-vanilla-with-session-token']);
    expect(await refusal(session, suiteOptions(SUITE_CREDENTIALS))).toMatchObject(unknown); // token on a long-term key
    expect(
      await refusal(session, suiteOptions({ ...SUITE_CREDENTIALS, sessionToken: `${SUITE_TOKEN}0` })),
    ).toMatchObject(unknown);
    delete session.headers['x-amz-security-token'];
    expect(
      await refusal(session, suiteOptions({ ...SUITE_CREDENTIALS, sessionToken: SUITE_TOKEN })),
    ).toMatchObject(unknown);
  });

  it('a wrong secret or a changed body: the signature does not match', async () => {
    const mismatch = {
      type: 'InvalidSignatureException',
      message:
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
      status: 400,
    };
    expect(await refusal(good(), suiteOptions({ ...SUITE_CREDENTIALS, secretAccessKey: 'x' }))).toEqual(
      mismatch,
    );
    const changed = parseSuiteRequest(SUITE['post-x-www-form-urlencoded']);
    changed.body = new TextEncoder().encode('Param1=value2');
    expect(await refusal(changed)).toEqual(mismatch);
  });
});
