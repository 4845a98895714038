/**
 * AWS Signature Version 4 on the receiving side (IAM User Guide "Create a signed AWS API request" and "Elements of
 * an AWS API request signature"): the canonical request, the string to sign, the signing key and the signature,
 * with WebCrypto HMAC-SHA-256 and SHA-256 so it runs in browsers as in Node. `authenticate.ts` turns what this
 * finds into AWS's error answers.
 */
import { bytesToHex, utf8 } from '../bytes';

export const ALGORITHM = 'AWS4-HMAC-SHA256';

/** Header names as lowercase keys; a repeated header as a list of its values, in order. */
export type HeaderMap = Record<string, string | readonly string[] | undefined>;

export interface SignableRequest {
  method: string;
  /** The request target as received: path and query (`/`, `/?a=b`), or an absolute URL. */
  url: string;
  headers: HeaderMap;
  body: Uint8Array;
}

export interface CredentialScope {
  accessKeyId: string;
  /** YYYYMMDD. */
  date: string;
  region: string;
  service: string;
  terminator: string;
}

const subtle = () => globalThis.crypto.subtle;

export async function sha256Hex(data: Uint8Array | string): Promise<string> {
  const bytes = typeof data === 'string' ? utf8(data) : data;
  return bytesToHex(new Uint8Array(await subtle().digest('SHA-256', bytes as Uint8Array<ArrayBuffer>)));
}

async function hmac(key: Uint8Array, data: string): Promise<Uint8Array> {
  const cryptoKey = await subtle().importKey(
    'raw',
    key as Uint8Array<ArrayBuffer>,
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  return new Uint8Array(await subtle().sign('HMAC', cryptoKey, utf8(data) as Uint8Array<ArrayBuffer>));
}

/** kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request"). */
export async function signingKey(
  secretAccessKey: string,
  scope: Pick<CredentialScope, 'date' | 'region' | 'service'>,
): Promise<Uint8Array> {
  const kDate = await hmac(utf8(`AWS4${secretAccessKey}`), scope.date);
  const kRegion = await hmac(kDate, scope.region);
  const kService = await hmac(kRegion, scope.service);
  return hmac(kService, 'aws4_request');
}

export async function signatureOf(key: Uint8Array, stringToSign: string): Promise<string> {
  return bytesToHex(await hmac(key, stringToSign));
}

/** RFC 3986 percent-encoding of everything but the unreserved characters, as SigV4 asks (UTF-8 first). */
export function uriEncode(text: string, keepSlash = false): string {
  let out = '';
  for (const byte of utf8(text)) {
    const char = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-._~]/.test(char) || (keepSlash && char === '/')) out += char;
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Percent-decoding that leaves a malformed escape as it is (the signature then decides). */
function uriDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function splitTarget(url: string): { path: string; query: string } {
  const withoutOrigin = url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '');
  const hash = withoutOrigin.indexOf('#');
  const target = hash >= 0 ? withoutOrigin.slice(0, hash) : withoutOrigin;
  const question = target.indexOf('?');
  const path = question >= 0 ? target.slice(0, question) : target;
  return { path: path || '/', query: question >= 0 ? target.slice(question + 1) : '' };
}

/**
 * The canonical URI of services other than S3: the path with `.`/`..` and empty segments removed, then
 * URI-encoded once more (AWS encodes the already-encoded path, so `%20` on the wire becomes `%2520`).
 */
export function canonicalUri(path: string): string {
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const normalized = `/${segments.join('/')}${segments.length > 0 && path.endsWith('/') ? '/' : ''}`;
  return uriEncode(normalized, true);
}

/** Parameters decoded, re-encoded, sorted by name then value (code point order), `X-Amz-Signature` left out. */
export function canonicalQuery(query: string): string {
  const pairs: [string, string][] = [];
  for (const part of query.split('&')) {
    if (part === '') continue;
    const equals = part.indexOf('=');
    const name = uriEncode(uriDecode(equals >= 0 ? part.slice(0, equals) : part));
    const value = uriEncode(uriDecode(equals >= 0 ? part.slice(equals + 1) : ''));
    if (name.toLowerCase() !== 'x-amz-signature') pairs.push([name, value]);
  }
  pairs.sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([name, value]) => `${name}=${value}`).join('&');
}

/** Trimmed, inner runs of spaces (and folded line breaks) made one space, repeated headers joined with commas. */
export function canonicalHeaderValue(value: string | readonly string[]): string {
  const values = typeof value === 'string' ? [value] : value;
  return values
    .map((v) =>
      v
        .replace(/[\r\n]+/g, ' ')
        .replace(/[ \t]+/g, ' ')
        .trim(),
    )
    .join(',');
}

export function headerValue(headers: HeaderMap, name: string): string | undefined {
  const value = headers[name];
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : value.join(',');
}

export function canonicalRequest(
  request: SignableRequest,
  signedHeaders: readonly string[],
  payloadHash: string,
): string {
  const { path, query } = splitTarget(request.url);
  const headerLines = signedHeaders.map(
    (name) => `${name}:${canonicalHeaderValue(request.headers[name] ?? '')}`,
  );
  return [
    request.method.toUpperCase(),
    canonicalUri(path),
    canonicalQuery(query),
    ...headerLines,
    '',
    signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
}

export async function stringToSign(amzDate: string, scope: CredentialScope, canonical: string) {
  const scopeText = `${scope.date}/${scope.region}/${scope.service}/${scope.terminator}`;
  return `${ALGORITHM}\n${amzDate}\n${scopeText}\n${await sha256Hex(canonical)}`;
}

/** Compares two hex signatures without stopping at the first difference. */
export function sameSignature(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}
