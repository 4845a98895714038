/**
 * The simulated KMS as a local endpoint over node:http (lab-design §4 "Local KMS endpoint"): each request is read
 * (up to the handler's size limit), handed to the JSON 1.1 handler of src/kms/http and answered. Listens on
 * 127.0.0.1 only; `port: 0` takes a free port.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KmsApi } from '../kms/api';
import {
  createKmsHttpHandler,
  MAX_REQUEST_BYTES,
  type KmsHttpCall,
  type KmsHttpHandler,
} from '../kms/http/index';
import type { HeaderMap } from '../kms/http/sigv4';

export interface ServeKmsOptions {
  port: number;
  host?: '127.0.0.1';
  /** Called after every request with what it came to (the serve command logs it). */
  onCall?(call: KmsHttpCall): void;
}

export interface KmsServer {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  readonly port: number;
  close(): Promise<void>;
}

/** The body up to one byte past the limit: enough for the handler to answer 413 without reading a huge upload. */
function readBody(request: IncomingMessage, limit: number): Promise<Uint8Array> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const finish = () => resolve(new Uint8Array(Buffer.concat(chunks)));
    request.on('data', (chunk: Buffer) => {
      if (length > limit) return;
      chunks.push(chunk);
      length += chunk.length;
      if (length > limit) {
        request.pause();
        finish();
      }
    });
    request.on('end', finish);
    request.on('error', finish); // a client that went away: its answer goes nowhere
  });
}

function headersOf(request: IncomingMessage): HeaderMap {
  const headers: HeaderMap = {};
  for (const [name, values] of Object.entries(request.headersDistinct))
    if (values) headers[name] = values.length === 1 ? values[0] : values;
  return headers;
}

async function answer(handler: KmsHttpHandler, request: IncomingMessage, response: ServerResponse) {
  const body = await readBody(request, MAX_REQUEST_BYTES);
  const tooLarge = body.length > MAX_REQUEST_BYTES;
  const result = await handler({
    method: request.method ?? 'GET',
    url: request.url ?? '/',
    headers: headersOf(request),
    body,
    sourceIp: request.socket.remoteAddress?.replace(/^::ffff:/, ''),
  });
  // After a refused upload the rest of it is not read: close the connection instead.
  response.writeHead(result.status, tooLarge ? { ...result.headers, connection: 'close' } : result.headers);
  response.end(result.body, () => {
    if (tooLarge) request.destroy();
  });
}

export function serveKms(api: KmsApi, options: ServeKmsOptions): Promise<KmsServer> {
  const handler = createKmsHttpHandler(api, { onCall: options.onCall });
  const server = createServer((request, response) => {
    answer(handler, request, response).catch(() => {
      // The handler answers every request itself; this is only a socket that failed mid-answer.
      if (!response.headersSent) response.writeHead(500).end();
      else response.destroy();
    });
  });
  // Clients keep connections open between calls; Node's default of 5 s idle let a slow step (an RSA-4096 wrapping
  // key, a busy machine) race the server closing the socket as the SDK reused it (ECONNRESET). AWS's endpoints keep
  // idle connections far longer.
  server.keepAliveTimeout = 60_000;
  server.headersTimeout = 61_000;
  const host = options.host ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      const { port } = server.address() as AddressInfo;
      resolve({
        endpoint: `http://${host}:${port}`,
        port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
