/**
 * The simulated KMS over the AWS JSON 1.1 protocol (facts §2.1, lab-design §4): a runtime-neutral handler from an
 * HTTP request to an HTTP response, so `lab kms serve` (node:http), an SDK `requestHandler` in the browser
 * (`sdk-request-handler.ts`) and tests all share it. It authenticates the SigV4 signature, reads
 * `X-Amz-Target: TrentService.<Operation>`, converts base64 blobs and epoch-second timestamps with the model's
 * shape table, calls the typed API as the signing principal in the signed region, and answers errors as
 * `{"__type", "message"}` with AWS's status codes. Nothing a client sends makes it throw.
 */
import type { KmsApi, KmsCredentials } from '../api';
import { isKmsError, KmsError } from '../errors';
import { utf8 } from '../bytes';
import { authenticate } from './authenticate';
import type { HeaderMap } from './sigv4';
import { headerValue } from './sigv4';
import { decodeRequest, encodeResponse } from './wire';

export interface KmsHttpRequest {
  method: string;
  /** The request target (`/`, `/?x=y`) or an absolute URL. */
  url: string;
  /** Lowercase header names; a repeated header as a list of its values. */
  headers: HeaderMap;
  body: Uint8Array;
  /** The client's address (CloudTrail sourceIPAddress, `aws:SourceIp`). */
  sourceIp?: string;
}

export interface KmsHttpResponse {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array;
}

/** What one request came to, for a server's log. */
export interface KmsHttpCall {
  operation?: string;
  principalArn?: string;
  region?: string;
  status: number;
  errorType?: string;
  /** Why the request was refused before reaching the KMS, when AWS's answer does not say (e.g. the method). */
  note?: string;
}

export interface KmsHttpHandlerOptions {
  /** Wall-clock time for signature freshness (default: now). */
  now?: () => Date;
  /** Bodies longer than this are refused with 413 (default 1 MiB). */
  maxBodyBytes?: number;
  onCall?(call: KmsHttpCall): void;
}

export type KmsHttpHandler = (request: KmsHttpRequest) => Promise<KmsHttpResponse>;

/**
 * _Choice_: AWS does not publish KMS's request size limit. The largest valid request (a 131,072-character key policy,
 * JSON-escaped) fits in 1 MiB.
 */
export const MAX_REQUEST_BYTES = 1024 * 1024;

const TARGET_PREFIX = 'TrentService.';
const JSON_CONTENT_TYPES = ['application/x-amz-json-1.1', 'application/x-amz-json-1.0'];

/** Refused before the KMS: carries the log note beside AWS's answer. */
class Refusal extends Error {
  constructor(
    readonly error: KmsError,
    readonly note?: string,
  ) {
    super(error.message);
  }
}

// JSON 1.1 protocol: an unknown X-Amz-Target is `{"__type":"UnknownOperationException"}` with 400 and no message
// (as CloudWatch Logs, a JSON 1.1 service, answers: github.com/aws/aws-sdk-net/issues/1536).
const unknownOperation = (note: string) => new Refusal(new KmsError('UnknownOperationException', ''), note);

function parseBody(body: Uint8Array): Record<string, unknown> {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(body).trim();
  if (text === '') return {}; // an empty input structure, as some clients send it
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    // _Choice_: AWS's SerializationException text for unparseable JSON is not documented; the lab names the problem.
    throw new KmsError(
      'SerializationException',
      `The request body is not valid JSON: ${(error as Error).message}`,
    );
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new KmsError('SerializationException', 'The request body must be a JSON object.');
  return parsed as Record<string, unknown>;
}

function operationOf(request: KmsHttpRequest): string {
  // Only POST carries a JSON 1.1 call; _choice_: other methods answer like an unknown operation.
  if (request.method.toUpperCase() !== 'POST') throw unknownOperation(`method ${request.method}`);
  const contentType = (headerValue(request.headers, 'content-type') ?? '').split(';')[0].trim().toLowerCase();
  // _Choice_: another content type is not this protocol, so no operation answers it.
  if (!JSON_CONTENT_TYPES.includes(contentType))
    throw unknownOperation(`Content-Type "${contentType}" (KMS takes application/x-amz-json-1.1)`);
  const target = headerValue(request.headers, 'x-amz-target')?.trim() ?? '';
  if (!target.startsWith(TARGET_PREFIX) || target.length === TARGET_PREFIX.length)
    throw unknownOperation(target ? `X-Amz-Target "${target}"` : 'no X-Amz-Target header');
  return target.slice(TARGET_PREFIX.length);
}

function respond(status: number, payload: unknown, now: Date, requestId: string): KmsHttpResponse {
  const body = utf8(JSON.stringify(payload));
  return {
    status,
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'content-length': String(body.length),
      // The same id as the call's CloudTrail requestID (CloudTrail record contents "requestID").
      'x-amzn-requestid': requestId,
      // SDKs correct their clock skew from this header after a "Signature expired" answer.
      date: now.toUTCString(),
    },
    body,
  };
}

/** `{"__type", "message"}`; without a message AWS sends `__type` alone (github.com/aws/aws-sdk-net/issues/1536). */
const errorBody = (error: KmsError) =>
  error.message ? { __type: error.type, message: error.message } : { __type: error.type };

export function createKmsHttpHandler(api: KmsApi, options: KmsHttpHandlerOptions = {}): KmsHttpHandler {
  const now = options.now ?? (() => new Date());
  const maxBodyBytes = options.maxBodyBytes ?? MAX_REQUEST_BYTES;
  const signingKeys = new Map<string, Uint8Array>();
  let byAccessKey = new Map<string, KmsCredentials>();
  const findCredentials = (accessKeyId: string) => {
    // The principals can grow (a key of another account adds its root), so look again before saying "unknown".
    if (!byAccessKey.has(accessKeyId))
      byAccessKey = new Map(api.credentials().map((c) => [c.accessKeyId, c]));
    return byAccessKey.get(accessKeyId);
  };

  return async function handle(request) {
    const time = now();
    const requestId = globalThis.crypto.randomUUID();
    const call: KmsHttpCall = { status: 200 };
    let response: KmsHttpResponse;
    try {
      if (request.body.length > maxBodyBytes)
        throw new Refusal(
          // "Common Errors" (AWS Management Console guide): RequestEntityTooLargeException, HTTP 413.
          new KmsError('RequestEntityTooLargeException', 'Request entity too large', 413),
          `body of ${request.body.length} bytes`,
        );
      const signer = await authenticate(request, { service: 'kms', now: time, findCredentials, signingKeys });
      call.principalArn = signer.credentials.principalArn;
      call.region = signer.region;
      const operation = operationOf(request);
      call.operation = operation;
      const input = decodeRequest(operation, parseBody(request.body));
      const output = await api.call(operation, input, {
        principalArn: signer.credentials.principalArn,
        accessKeyId: signer.credentials.accessKeyId,
        region: signer.region,
        sourceIp: request.sourceIp,
        userAgent: headerValue(request.headers, 'user-agent'),
        requestId,
      });
      response = respond(200, encodeResponse(output), time, requestId);
    } catch (thrown) {
      const refusal = thrown instanceof Refusal ? thrown : undefined;
      const error = refusal
        ? refusal.error
        : isKmsError(thrown)
          ? thrown
          : // Never a stack trace to the client: anything unexpected is AWS's internal error.
            new KmsError('KMSInternalException', `The lab KMS failed: ${String(thrown)}`);
      call.errorType = error.type;
      call.note = refusal?.note;
      response = respond(error.httpStatus, errorBody(error), time, requestId);
    }
    call.status = response.status;
    options.onCall?.(call);
    return response;
  };
}
