/**
 * Who signed a request, as AWS's JSON services establish it, with their answers when they cannot. Sources for the
 * names, texts and status codes (AWS documents the names, not all texts; the texts are the ones AWS's JSON 1.0/1.1
 * services were seen answering):
 * - MissingAuthenticationToken, 403: the AWS API references' "Common Errors" pages (EMR, RDS, CloudSearch; the KMS
 *   page could not be read here); the `…Exception` form is the JSON protocols' `__type`, "Missing Authentication
 *   Token" the text JSON services give (github.com/brefphp/bref/issues/1250).
 * - IncompleteSignatureException, 400 ("Common Errors": IncompleteSignature); texts as seen from SSM and Cloud9
 *   (github.com/aws/aws-sdk-js/issues/4285, github.com/iann0036/cloud9-sync/issues/10).
 * - InvalidSignatureException, 400: the signature text and "Signature expired: … (… - 5 min.)" /
 *   "Signature not yet current: … (… + 5 min.)" as JSON services answer them
 *   (github.com/aws/aws-sdk-js/issues/168 and /254, github.com/aws/aws-sdk-go/issues/2194); "Credential should be
 *   scoped to correct service" (github.com/cllunsford/aws-signing-proxy/issues/25).
 * - UnrecognizedClientException, 400, "The security token included in the request is invalid." for an unknown access
 *   key or a wrong session token (github.com/aws/aws-encryption-sdk-java/issues/9, JSON services' 400 in
 *   github.com/aws-azure-login/aws-azure-login/issues/37).
 */
import type { KmsCredentials } from '../api';
import { KmsError } from '../errors';
import {
  ALGORITHM,
  canonicalRequest,
  headerValue,
  sameSignature,
  sha256Hex,
  signatureOf,
  signingKey,
  stringToSign,
  type CredentialScope,
  type SignableRequest,
} from './sigv4';

/** The clock skew AWS's JSON services allow either way (the "- 5 min." of their expiry message). */
export const MAX_SKEW_MS = 5 * 60 * 1000;

export interface AuthenticateOptions {
  /** The service's signing name (`kms`). */
  service: string;
  /** Wall-clock time (signatures are checked against real time, not the lab clock). */
  now: Date;
  findCredentials(accessKeyId: string): KmsCredentials | undefined;
  /** Signing keys by secret and scope, reused across requests (they change once a day per principal). */
  signingKeys?: Map<string, Uint8Array>;
}

export interface Authenticated {
  credentials: KmsCredentials;
  /** The region of the credential scope: the region the caller meant to call. */
  region: string;
}

const missingToken = () =>
  new KmsError('MissingAuthenticationTokenException', 'Missing Authentication Token', 403);
const incomplete = (message: string) => new KmsError('IncompleteSignatureException', message, 400);
const invalid = (message: string) => new KmsError('InvalidSignatureException', message, 400);
const unrecognized = () =>
  new KmsError('UnrecognizedClientException', 'The security token included in the request is invalid.', 400);

const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

/** `20150830T123600Z` (ISO 8601 basic format, as X-Amz-Date carries it). */
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
/** Region names such as us-east-1, us-gov-west-1, eu-central-2. */
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

const amzDateOf = (time: Date) =>
  time
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');

function parseAmzDate(text: string): Date | undefined {
  const match = AMZ_DATE.exec(text);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match.map(Number);
  const time = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  return time.getUTCDate() === d && time.getUTCHours() === h ? time : undefined;
}

/** `Credential=…, SignedHeaders=…, Signature=…` with AWS's answers to what is missing or malformed. */
function parseAuthorization(header: string, hasDate: boolean) {
  const trimmed = header.trim();
  const space = trimmed.indexOf(' ');
  const algorithm = space >= 0 ? trimmed.slice(0, space) : trimmed;
  const params = new Map<string, string>();
  if (algorithm === ALGORITHM) {
    for (const part of trimmed.slice(space + 1).split(',')) {
      const pair = part.trim();
      if (pair === '') continue;
      const equals = pair.indexOf('=');
      if (equals < 0)
        throw incomplete(
          `'${pair}' not a valid key=value pair (missing equal-sign) in Authorization header: '${header}'.`,
        );
      params.set(pair.slice(0, equals), pair.slice(equals + 1));
    }
  }
  const missing = ['Credential', 'Signature', 'SignedHeaders']
    .filter((name) => !params.get(name))
    .map((name) => `Authorization header requires '${name}' parameter.`);
  if (!hasDate)
    missing.push("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  if (missing.length > 0) throw incomplete(`${missing.join(' ')} Authorization=${header}`);
  return {
    credential: params.get('Credential')!,
    signedHeaders: params.get('SignedHeaders')!,
    signature: params.get('Signature')!,
  };
}

function parseScope(credential: string): CredentialScope {
  const parts = credential.split('/');
  if (parts.length !== 5)
    throw incomplete(
      `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'`,
    );
  const [accessKeyId, date, region, service, terminator] = parts;
  return { accessKeyId, date, region, service, terminator };
}

function checkScope(scope: CredentialScope, amzDate: string, service: string): void {
  if (scope.date !== amzDate.slice(0, 8))
    throw invalid(
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scope.date}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
    );
  if (!REGION.test(scope.region)) throw invalid(`Credential should be scoped to a valid region. `);
  if (scope.service !== service)
    throw invalid(`Credential should be scoped to correct service: '${service}'. `);
  if (scope.terminator !== 'aws4_request')
    throw invalid(
      `Credential should be scoped with a valid terminator: 'aws4_request', not '${scope.terminator}'. `,
    );
}

function checkTime(signedAt: Date, amzDate: string, now: Date): void {
  if (signedAt.getTime() < now.getTime() - MAX_SKEW_MS)
    throw invalid(
      `Signature expired: ${amzDate} is now earlier than ${amzDateOf(new Date(now.getTime() - MAX_SKEW_MS))} (${amzDateOf(now)} - 5 min.)`,
    );
  if (signedAt.getTime() > now.getTime() + MAX_SKEW_MS)
    throw invalid(
      `Signature not yet current: ${amzDate} is still later than ${amzDateOf(new Date(now.getTime() + MAX_SKEW_MS))} (${amzDateOf(now)} + 5 min.)`,
    );
}

/** The credentials that signed `request` and the region they signed for; throws AWS's error otherwise. */
export async function authenticate(
  request: SignableRequest,
  options: AuthenticateOptions,
): Promise<Authenticated> {
  const authorization = headerValue(request.headers, 'authorization');
  // _Choice_: query-string (presigned) authentication is not served; such a request has no token to the lab.
  if (authorization === undefined || authorization.trim() === '') throw missingToken();
  const xAmzDate = headerValue(request.headers, 'x-amz-date');
  const httpDate = headerValue(request.headers, 'date');
  const parts = parseAuthorization(authorization, xAmzDate !== undefined || httpDate !== undefined);
  const scope = parseScope(parts.credential);

  const signedAt =
    xAmzDate !== undefined ? parseAmzDate(xAmzDate.trim()) : new Date(Date.parse(httpDate ?? ''));
  if (!signedAt || Number.isNaN(signedAt.getTime()))
    throw incomplete(
      `Date must be in ISO-8601 'basic format'. Got '${xAmzDate ?? httpDate}'. See http://en.wikipedia.org/wiki/ISO_8601`,
    );
  const amzDate = xAmzDate !== undefined ? xAmzDate.trim() : amzDateOf(signedAt);
  checkScope(scope, amzDate, options.service);

  const signedHeaders = parts.signedHeaders.split(';');
  if (!signedHeaders.includes('host'))
    throw incomplete(`'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.`);
  checkTime(signedAt, amzDate, options.now);

  const credentials = options.findCredentials(scope.accessKeyId);
  if (!credentials) throw unrecognized();
  // A role session's requests carry its session token; long-term keys carry none (STS "temporary credentials").
  const token = headerValue(request.headers, 'x-amz-security-token');
  if ((credentials.sessionToken ?? undefined) !== (token?.trim() || undefined)) throw unrecognized();

  const cacheKey = `${credentials.secretAccessKey}\n${scope.date}/${scope.region}/${scope.service}`;
  let key = options.signingKeys?.get(cacheKey);
  if (!key) {
    key = await signingKey(credentials.secretAccessKey, scope);
    if (options.signingKeys) {
      if (options.signingKeys.size >= 256) options.signingKeys.clear();
      options.signingKeys.set(cacheKey, key);
    }
  }
  // The payload hash is the body's own; a different x-amz-content-sha256 therefore fails as a bad signature.
  const canonical = canonicalRequest(request, signedHeaders, await sha256Hex(request.body));
  const expected = await signatureOf(key, await stringToSign(amzDate, scope, canonical));
  if (!sameSignature(expected, parts.signature.trim().toLowerCase())) throw invalid(SIGNATURE_MISMATCH);
  return { credentials, region: scope.region };
}
