/**
 * An AWS SDK for JavaScript v3 `requestHandler` that answers from the KMS JSON 1.1 handler in the same process, with
 * no network (lab-design §4: "the real @aws-sdk/client-kms works against it through its requestHandler option").
 * In the browser tab: `new KMSClient({ region, credentials, endpoint: 'http://kms.lab', requestHandler:
 * kmsRequestHandler(createKmsHttpHandler(kms)) })`. The SDK still signs every request, and the handler checks it.
 * Typed structurally after @smithy/types' HttpHandler so the pure folder needs no SDK import.
 */
import type { KmsHttpHandler } from './handler';

interface SdkHttpRequest {
  method: string;
  path: string;
  query?: Record<string, string | string[] | null>;
  headers: Record<string, string>;
  body?: unknown;
}

interface SdkHttpResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: Uint8Array;
}

function queryString(query: SdkHttpRequest['query']): string {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(query ?? {}))
    for (const v of Array.isArray(value) ? value : [value])
      parts.push(
        v === null ? encodeURIComponent(name) : `${encodeURIComponent(name)}=${encodeURIComponent(v)}`,
      );
  return parts.length > 0 ? `?${parts.join('&')}` : '';
}

function bodyBytes(body: unknown): Uint8Array {
  if (body === undefined || body === null) return new Uint8Array();
  if (typeof body === 'string') return new TextEncoder().encode(body);
  if (body instanceof Uint8Array) return body;
  throw new Error('the in-process KMS handler takes string or byte bodies (KMS requests are JSON)');
}

export function kmsRequestHandler(handler: KmsHttpHandler) {
  return {
    async handle(request: SdkHttpRequest): Promise<{ response: SdkHttpResponse }> {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
      const response = await handler({
        method: request.method,
        url: `${request.path || '/'}${queryString(request.query)}`,
        headers,
        body: bodyBytes(request.body),
        sourceIp: '127.0.0.1',
      });
      return { response: { statusCode: response.status, headers: response.headers, body: response.body } };
    },
    updateHttpClientConfig(): void {},
    httpHandlerConfigs(): Record<string, never> {
      return {};
    },
  };
}
