/**
 * The ESDK conformance vectors (`../shared/conformance/esdk/`, README there): 69 messages made by the AWS Encryption
 * SDKs, each with its plaintext data key. Every one is decrypted with a keyring that supplies that key, whole and
 * streamed in 7-byte chunks; a must-decrypt vector must give its plaintext and its header context, a must-fail
 * vector must fail with the error the real SDK gave (mapped to the lab's codes). Format 1 vectors are decrypted
 * under REQUIRE_ENCRYPT_ALLOW_DECRYPT and must be refused under the default policy. Skips with a notice when the
 * folder is missing (ESDK_CONFORMANCE_DIR points elsewhere).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromBase64 } from './bytes';
import { createDataKeyKeyring } from './data-key-keyring';
import { createDecryptor, type DecryptOptions } from './decryptor';
import { EnvelopeError, type EnvelopeErrorCode } from './errors';
import { decrypt } from './index';
import { suiteHex } from './suites';

interface Vector {
  id: string;
  suite: string;
  messageFormatVersion: 1 | 2;
  contentType: 'framed' | 'non-framed';
  frameLength: number;
  messageB64: string;
  key: { kind: 'data-key'; b64: string };
  encryptionContext: Record<string, string>;
  headerEncryptionContext: Record<string, string>;
  decryptOptions?: { maxEncryptedDataKeys?: number; maxBodySize?: number };
  expect: { plaintextB64: string } | { error: true; why: string };
  realSdkError?: string;
}

const folder = process.env.ESDK_CONFORMANCE_DIR ?? path.resolve(process.cwd(), '../shared/conformance/esdk');
const vectorsFile = path.join(folder, 'vectors.json');
const vectors: Vector[] = existsSync(vectorsFile) ? JSON.parse(readFileSync(vectorsFile, 'utf8')) : [];

/** What the real SDK said, and the lab's error code for the same refusal. */
const SDK_ERROR_CODES: Record<string, EnvelopeErrorCode> = {
  'Commitment does not match.': 'COMMITMENT_MISMATCH',
  'Invalid Signature': 'SIGNATURE',
  'Encrypted body sequence out of order.': 'FRAME_ORDER',
  'maxEncryptedDataKeys exceeded.': 'LIMIT',
  'maxBodySize exceeded.': 'LIMIT',
};

function optionsFor(vector: Vector, extra: Partial<DecryptOptions> = {}): DecryptOptions {
  return {
    keyring: createDataKeyKeyring(fromBase64(vector.key.b64)),
    commitmentPolicy: vector.messageFormatVersion === 1 ? 'REQUIRE_ENCRYPT_ALLOW_DECRYPT' : undefined,
    encryptionContext: vector.encryptionContext,
    ...vector.decryptOptions,
    ...extra,
  };
}

async function decryptInChunks(message: Uint8Array, options: DecryptOptions, size: number) {
  const decryptor = createDecryptor(options);
  const parts: number[] = [];
  for (let at = 0; at < message.length; at += size)
    parts.push(...(await decryptor.push(message.slice(at, at + size))));
  parts.push(...(await decryptor.finish()));
  return Uint8Array.from(parts);
}

async function failure(promise: Promise<unknown>): Promise<EnvelopeError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof EnvelopeError) return error;
    throw new Error(`failed without an EnvelopeError: ${String(error)}`, { cause: error });
  }
  throw new Error('decrypted, but the vector must fail');
}

if (vectors.length === 0) {
  console.warn(`ESDK conformance vectors skipped: ${vectorsFile} not found`);
  describe('ESDK conformance vectors', () => it.skip(`skipped: ${vectorsFile} not found`, () => undefined));
}

describe.runIf(vectors.length > 0)('ESDK conformance vectors', () => {
  it('has the 69 vectors of the README', () => {
    expect(vectors).toHaveLength(69);
    expect(vectors.filter((v) => 'error' in v.expect)).toHaveLength(12);
  });

  describe.each(vectors.map((v) => [v.id, v] as const))('%s', (_id, vector) => {
    const message = fromBase64(vector.messageB64);
    if ('plaintextB64' in vector.expect) {
      const plaintext = fromBase64(vector.expect.plaintextB64);
      it(`decrypts (${vector.suite}, ${vector.contentType})`, async () => {
        const result = await decrypt(message, optionsFor(vector));
        expect(result.plaintext).toEqual(plaintext);
        expect(result.header.encryptionContext).toEqual(vector.headerEncryptionContext);
        expect(suiteHex(result.header.suite.id)).toBe(vector.suite);
        expect(result.header.frameLength).toBe(vector.frameLength);
        expect(await decryptInChunks(message, optionsFor(vector), 7)).toEqual(plaintext);
      });
    } else {
      const code = SDK_ERROR_CODES[vector.realSdkError ?? ''];
      it(`fails with ${code} (${vector.expect.why})`, async () => {
        expect(code, `no mapping for the SDK's error ${vector.realSdkError}`).toBeDefined();
        expect((await failure(decrypt(message, optionsFor(vector)))).code).toBe(code);
        expect((await failure(decryptInChunks(message, optionsFor(vector), 7))).code).toBe(code);
      });
      if (vector.decryptOptions)
        it('decrypts without the limit', async () => {
          const options = optionsFor(vector, { maxEncryptedDataKeys: undefined, maxBodySize: undefined });
          await expect(decrypt(message, options)).resolves.toBeDefined();
        });
    }
    if (vector.messageFormatVersion === 1)
      it('is refused under REQUIRE_ENCRYPT_REQUIRE_DECRYPT', async () => {
        const strict = {
          commitmentPolicy: 'REQUIRE_ENCRYPT_REQUIRE_DECRYPT',
          maxEncryptedDataKeys: undefined,
        } as const;
        const error = await failure(decrypt(message, optionsFor(vector, strict)));
        expect(error.code).toBe('COMMITMENT_POLICY');
      });
  });
});
