/**
 * Bad input: every single-byte change, every truncation, reordered, dropped, repeated and spliced frames, trailing
 * bytes, a wrong commitment, a changed header, limits. Each fails with a clear error, and the streaming decryptor
 * never releases plaintext from the part that failed or from anything after it (and, for the last part, nothing
 * before the end of the message is checked).
 */
import { describe, expect, it } from 'vitest';
import { concat, randomBytes } from './bytes';
import type { CommitmentPolicy } from './commitment-policy';
import { createDecryptor, type DecryptOptions } from './decryptor';
import { EnvelopeError } from './errors';
import { decrypt, encrypt } from './index';
import { inspectMessage, type MessageSummary } from './inspect';
import { createRawAesKeyring } from './raw-aes-keyring';
import { SUITES, suiteHex, type SuiteId } from './suites';

const keyring = createRawAesKeyring({ keyNamespace: 'lab', keyName: 'tamper', wrappingKey: randomBytes(32) });
const FRAME = 16;
const plaintext = randomBytes(100); // 6 regular frames and a final frame of 4 bytes

const policyFor = (suite: SuiteId): CommitmentPolicy =>
  SUITES[suite].committing ? 'REQUIRE_ENCRYPT_REQUIRE_DECRYPT' : 'FORBID_ENCRYPT_ALLOW_DECRYPT';

async function messageFor(suiteId: SuiteId, contentType: 'framed' | 'non-framed' = 'framed') {
  const { message } = await encrypt(plaintext, {
    keyring,
    suiteId,
    frameLength: FRAME,
    contentType,
    commitmentPolicy: policyFor(suiteId),
    encryptionContext: { purpose: 'tamper' },
  });
  return { message, summary: inspectMessage(message) };
}

/** Streams `message` in 10-byte chunks; returns what was released before the failure, and the failure. */
async function streamed(message: Uint8Array, options: Partial<DecryptOptions> = {}) {
  const decryptor = createDecryptor({
    keyring,
    commitmentPolicy: 'REQUIRE_ENCRYPT_ALLOW_DECRYPT',
    ...options,
  });
  const released: Uint8Array[] = [];
  try {
    for (let at = 0; at < message.length; at += 10)
      released.push(await decryptor.push(message.subarray(at, at + 10)));
    released.push(await decryptor.finish());
  } catch (error) {
    if (!(error instanceof EnvelopeError)) throw error;
    return { released: concat(...released), error };
  }
  return { released: concat(...released), error: undefined };
}

/** The plaintext bytes of the parts that end before `offset` (the final part never counts: it waits for finish). */
function plaintextBefore(summary: MessageSummary, offset: number): number {
  let bytes = 0;
  for (const part of summary.parts)
    if (part.part === 'frame' && part.offset + part.length <= offset) bytes += part.contentLength;
  return bytes;
}

// Hundreds of decryptions per test: 3–4 s alone on the shared 2-vCPU box, past the 5 s default under load.
describe.each(([0x0578, 0x0478, 0x0178, 0x0014] as const).map((id) => [suiteHex(id), id] as const))(
  'suite %s',
  { timeout: 30_000 },
  (_hex, suiteId) => {
    it('every one-byte change fails, and releases nothing from the changed part on', async () => {
      const { message, summary } = await messageFor(suiteId);
      for (let at = 0; at < message.length; at++) {
        const changed = message.slice();
        changed[at] ^= 0x01;
        const { released, error } = await streamed(changed);
        expect(error, `byte ${at} changed, yet it decrypted`).toBeDefined();
        expect(plaintext.subarray(0, released.length), `byte ${at}`).toEqual(released);
        const partStart =
          summary.parts.find((part) => at < part.offset + part.length)?.offset ?? message.length;
        expect(released.length, `byte ${at}: ${error!.message}`).toBeLessThanOrEqual(
          plaintextBefore(summary, partStart),
        );
      }
    });

    it('every truncation fails, and the whole-message decrypt returns nothing', async () => {
      const { message, summary } = await messageFor(suiteId);
      for (let length = 0; length < message.length; length++) {
        const { released, error } = await streamed(message.subarray(0, length));
        expect(error, `cut at ${length}`).toBeDefined();
        expect(released.length).toBeLessThanOrEqual(plaintextBefore(summary, length));
        expect(plaintext.subarray(0, released.length)).toEqual(released);
      }
      const cut = await decrypt(message.subarray(0, message.length - 1), {
        keyring,
        commitmentPolicy: 'REQUIRE_ENCRYPT_ALLOW_DECRYPT',
      }).catch((e) => e);
      expect(cut).toBeInstanceOf(EnvelopeError);
    });
  },
);

describe('frames out of place', () => {
  const frameBytes = (message: Uint8Array, summary: MessageSummary, index: number) => {
    const part = summary.parts[index];
    return message.subarray(part.offset, part.offset + part.length);
  };
  const rebuild = (message: Uint8Array, summary: MessageSummary, order: number[]) =>
    concat(
      message.subarray(0, summary.headerLength),
      ...order.map((index) => frameBytes(message, summary, index)),
      message.subarray(summary.parts.at(-1)!.offset + summary.parts.at(-1)!.length),
    );

  it.each([
    ['swapped', [0, 2, 1, 3, 4, 5, 6]],
    ['dropped', [0, 2, 3, 4, 5, 6]],
    ['repeated', [0, 1, 1, 2, 3, 4, 5, 6]],
  ])('%s frames fail with FRAME_ORDER at the first frame out of place', async (_how, order) => {
    const { message, summary } = await messageFor(0x0478);
    const { released, error } = await streamed(rebuild(message, summary, order));
    const firstWrong = order.findIndex((index, position) => index !== position);
    expect(error).toMatchObject({ code: 'FRAME_ORDER' });
    expect(error!.message).toMatch(/^at byte \d+: frame sequence number \d+ where \d+ belongs/);
    // Frames verified in the push that met the fault are dropped with it; never more than the frames before it.
    expect(released.length).toBeLessThanOrEqual(firstWrong * FRAME);
    expect(released).toEqual(plaintext.subarray(0, released.length));
  });

  it('a frame from another message (same key, same number) fails its tag: the message ID is in its AAD', async () => {
    const a = await messageFor(0x0478);
    const b = await messageFor(0x0478);
    const spliced = concat(
      a.message.subarray(0, a.summary.parts[1].offset),
      frameBytes(b.message, b.summary, 1),
      a.message.subarray(a.summary.parts[2].offset),
    );
    const { released, error } = await streamed(spliced);
    expect(error).toMatchObject({ code: 'FRAME_AUTH', offset: a.summary.parts[1].offset });
    expect(released.length).toBeLessThanOrEqual(FRAME);
  });

  it('bytes after the end fail with TRAILING_DATA and hold back the final frame', async () => {
    const { message } = await messageFor(0x0478);
    const { released, error } = await streamed(concat(message, Uint8Array.of(0)));
    expect(error).toMatchObject({ code: 'TRAILING_DATA', offset: message.length });
    expect(released).toEqual(plaintext.subarray(0, 96));
  });
});

describe('signed suites hold back the last part until the signature verifies', () => {
  it('framed: a bad signature releases every frame but the final one', async () => {
    const { message } = await messageFor(0x0578);
    const changed = message.slice();
    changed[message.length - 1] ^= 0x01;
    const { released, error } = await streamed(changed);
    expect(error).toMatchObject({ code: 'SIGNATURE' });
    expect(released).toEqual(plaintext.subarray(0, 96));
  });

  it('non-framed: a bad signature releases nothing at all', async () => {
    const { message } = await messageFor(0x0578, 'non-framed');
    const changed = message.slice();
    changed[message.length - 5] ^= 0x01;
    const { released, error } = await streamed(changed);
    expect(error).toMatchObject({ code: 'SIGNATURE' });
    expect(released).toHaveLength(0);
  });
});

describe('header faults', () => {
  it('a changed commitment fails with COMMITMENT_MISMATCH at the commitment', async () => {
    const { message, summary } = await messageFor(0x0478);
    const at = summary.headerFields.find((field) => field.field === 'suiteData')!.offset;
    const changed = message.slice();
    changed[at + 5] ^= 0x80;
    expect((await streamed(changed)).error).toMatchObject({ code: 'COMMITMENT_MISMATCH', offset: at });
  });

  it('a changed frame length fails the header tag', async () => {
    const { message, summary } = await messageFor(0x0478);
    const at = summary.headerFields.find((field) => field.field === 'frameLength')!.offset;
    const changed = message.slice();
    changed[at + 3] = FRAME + 1;
    expect((await streamed(changed)).error).toMatchObject({ code: 'HEADER_AUTH' });
  });

  it('another wrapping key: NO_DATA_KEY, with what was tried', async () => {
    const { message } = await messageFor(0x0478);
    const other = createRawAesKeyring({
      keyNamespace: 'lab',
      keyName: 'tamper',
      wrappingKey: randomBytes(32),
    });
    const { error } = await streamed(message, { keyring: other });
    expect(error).toMatchObject({ code: 'NO_DATA_KEY' });
    expect(error!.message).toMatch(
      /raw AES key lab\/tamper could not decrypt the data key: EDK 1: the tag does not verify/,
    );
  });

  it('a required encryption context pair that is missing or different', async () => {
    const { message } = await messageFor(0x0478);
    expect((await streamed(message, { encryptionContext: { purpose: 'other' } })).error?.message).toMatch(
      /has "purpose": "tamper", not "other"/,
    );
    expect((await streamed(message, { encryptionContext: { owner: 'x' } })).error).toMatchObject({
      code: 'ENCRYPTION_CONTEXT',
    });
  });

  it('limits: maxEncryptedDataKeys and maxBodySize', async () => {
    const { message, summary } = await messageFor(0x0478);
    expect((await streamed(message, { maxBodySize: FRAME - 1 })).error).toMatchObject({
      code: 'LIMIT',
      offset: summary.parts[0].offset,
    });
    expect((await streamed(message, { maxBodySize: FRAME })).error).toBeUndefined();
    const twoKeys = await encrypt(plaintext, {
      keyring: {
        onEncrypt: async (request) => {
          const first = await keyring.onEncrypt(request);
          const second = await keyring.onEncrypt({ ...request, dataKey: first.dataKey });
          return {
            dataKey: first.dataKey,
            encryptedDataKeys: [...first.encryptedDataKeys, ...second.encryptedDataKeys],
          };
        },
        onDecrypt: keyring.onDecrypt,
      },
    });
    expect((await streamed(twoKeys.message, { maxEncryptedDataKeys: 1 })).error).toMatchObject({
      code: 'LIMIT',
    });
    expect((await streamed(twoKeys.message, { maxEncryptedDataKeys: 2 })).released).toEqual(plaintext);
  });
});
