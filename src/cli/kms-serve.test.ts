/**
 * serveKms over real sockets on 127.0.0.1 (a free port, closed by its handle): the real @aws-sdk/client-kms with
 * its default Node HTTP handler, clock skew and the SDK's own correction, and HTTP-level abuse (huge bodies,
 * other methods) that must be answered without bringing the server down.
 */
import { request as httpRequest } from 'node:http';
import {
  CreateKeyCommand,
  DecryptCommand,
  EncryptCommand,
  KMSClient,
  ListKeysCommand,
} from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialsFor } from '../kms/credentials';
import { createKms, LAB_ADMIN } from '../kms/kms';
import type { KmsHttpCall } from '../kms/http/index';
import { serveKms, type KmsServer } from './kms-serve';

let server: KmsServer;
const calls: KmsHttpCall[] = [];
beforeAll(async () => {
  server = await serveKms(createKms({ credentialsFor }), { port: 0, onCall: (call) => calls.push(call) });
});
afterAll(() => server.close());

const client = (options: { systemClockOffset?: number; maxAttempts?: number } = {}) =>
  new KMSClient({
    region: 'us-east-1',
    endpoint: server.endpoint,
    credentials: credentialsFor(LAB_ADMIN),
    maxAttempts: 1,
    ...options,
  });

function raw(method: string, headers: Record<string, string | number>, body?: Buffer) {
  return new Promise<{ status: number; body: string; headers: Record<string, unknown> }>(
    (resolve, reject) => {
      const req = httpRequest(`${server.endpoint}/`, { method, headers }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }));
      });
      req.on('error', reject);
      req.end(body);
    },
  );
}

describe('serveKms', () => {
  it('listens on 127.0.0.1 and serves the real SDK over HTTP', async () => {
    expect(server.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const kms = client();
    const { Keys } = await kms.send(new ListKeysCommand({}));
    expect(Keys).toEqual([]);
    const plaintext = new TextEncoder().encode('over the wire');
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    const { CiphertextBlob } = await kms.send(
      new EncryptCommand({ KeyId: KeyMetadata!.KeyId, Plaintext: plaintext }),
    );
    const { Plaintext } = await kms.send(new DecryptCommand({ CiphertextBlob }));
    expect(Plaintext).toEqual(plaintext);
    expect(calls.at(-1)).toMatchObject({ operation: 'Decrypt', principalArn: LAB_ADMIN, status: 200 });
  });

  it('refuses a signature from a clock 10 minutes off, and the SDK corrects its skew from the Date header', async () => {
    const skewed = client({ systemClockOffset: -10 * 60_000 });
    const error = await skewed.send(new ListKeysCommand({})).catch((e) => e);
    expect(error.name).toBe('InvalidSignatureException');
    expect(error.message).toMatch(
      /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/,
    );
    // The SDK takes the server's time from the Date header of that answer, so its next call is signed right.
    const ahead = client({ systemClockOffset: 10 * 60_000 });
    const early = await ahead.send(new ListKeysCommand({})).catch((e) => e);
    expect(early.message).toMatch(/^Signature not yet current: .* \(\d{8}T\d{6}Z \+ 5 min\.\)$/);
    await expect(ahead.send(new ListKeysCommand({}))).resolves.toMatchObject({ Keys: expect.any(Array) });
  });

  it('answers a body over 1 MiB with 413 and stays up', async () => {
    const huge = Buffer.alloc(2 * 1024 * 1024, 0x7b);
    const response = await raw(
      'POST',
      {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'TrentService.ListKeys',
        'content-length': huge.length,
      },
      huge,
    ).catch((error: NodeJS.ErrnoException) => ({ status: -1, body: error.code ?? '', headers: {} }));
    // The server answers before reading it all and closes; the client sees the 413 or, at worst, a reset.
    if (response.status !== -1) {
      expect(response.status).toBe(413);
      expect(JSON.parse(response.body)).toEqual({
        __type: 'RequestEntityTooLargeException',
        message: 'Request entity too large',
      });
    } else expect(['ECONNRESET', 'EPIPE']).toContain(response.body);
    await expect(client().send(new ListKeysCommand({}))).resolves.toBeDefined();
  });

  it('answers unsigned and garbled requests as AWS does, as JSON', async () => {
    const unsigned = await raw('GET', {});
    expect(unsigned.status).toBe(403);
    expect(JSON.parse(unsigned.body)).toEqual({
      __type: 'MissingAuthenticationTokenException',
      message: 'Missing Authentication Token',
    });
    expect(unsigned.headers['content-type']).toBe('application/x-amz-json-1.1');
    const garbled = await raw(
      'POST',
      { authorization: 'AWS4-HMAC-SHA256 Credential=x', 'x-amz-date': 'yesterday' },
      Buffer.from('{'),
    );
    expect(garbled.status).toBe(400);
    expect(JSON.parse(garbled.body).__type).toBe('IncompleteSignatureException');
  });
});
