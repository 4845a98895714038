import { describe, expect, it } from 'vitest';
import { randomBytes } from './bytes';
import type { CommitmentPolicy } from './commitment-policy';
import { createDecryptor } from './decryptor';
import { createEncryptor } from './encryptor';
import { EnvelopeError } from './errors';
import { decrypt, encrypt } from './index';
import { inspectMessage } from './inspect';
import { createRawAesKeyring } from './raw-aes-keyring';
import { SUITE_IDS, SUITES, suiteHex, type SuiteId } from './suites';

const keyring = createRawAesKeyring({
  keyNamespace: 'lab',
  keyName: 'round-trip',
  wrappingKey: randomBytes(32),
});
const policyFor = (suite: SuiteId): CommitmentPolicy =>
  SUITES[suite].committing ? 'REQUIRE_ENCRYPT_REQUIRE_DECRYPT' : 'FORBID_ENCRYPT_ALLOW_DECRYPT';
const context = { tenant: 'acme', ключ: 'значение' };

async function roundTrip(suiteId: SuiteId, frameLength: number, size: number) {
  const plaintext = randomBytes(size);
  const commitmentPolicy = policyFor(suiteId);
  const { message, header } = await encrypt(plaintext, {
    keyring,
    suiteId,
    frameLength,
    commitmentPolicy,
    encryptionContext: context,
  });
  const opened = await decrypt(message, { keyring, commitmentPolicy, encryptionContext: context });
  expect(opened.plaintext).toEqual(plaintext);
  expect(opened.header.messageId).toEqual(header.messageId);
  return inspectMessage(message);
}

describe('round trips', () => {
  it.each(SUITE_IDS.map((id) => [suiteHex(id), id] as const))(
    'suite %s across frame lengths and sizes',
    async (_hex, suite) => {
      for (const frame of [1, 7, 4096])
        for (const size of [0, 1, frame - 1, frame, frame + 1, 3 * frame, 3 * frame + 1]) {
          const summary = await roundTrip(suite, frame, size);
          expect(summary.version).toBe(SUITES[suite].messageFormat);
          expect(summary.signaturePresent).toBe(SUITES[suite].signature !== undefined);
          // The final frame carries the last 1..frame bytes; it is empty only for empty input.
          expect(summary.frameCount).toBe(Math.max(1, Math.ceil(size / frame)));
          expect(summary.parts.at(-1)!.contentLength).toBe(
            size === 0 ? 0 : size - (summary.frameCount - 1) * frame,
          );
        }
    },
  );

  it('non-framed, signed and unsigned, committing and not', async () => {
    for (const suiteId of [0x0578, 0x0478, 0x0378, 0x0014] as const) {
      const plaintext = randomBytes(5000);
      const commitmentPolicy = policyFor(suiteId);
      const { message } = await encrypt(plaintext, {
        keyring,
        suiteId,
        commitmentPolicy,
        contentType: 'non-framed',
      });
      expect(inspectMessage(message)).toMatchObject({
        contentType: 'non-framed',
        frameLength: 0,
        frameCount: 1,
      });
      expect((await decrypt(message, { keyring, commitmentPolicy })).plaintext).toEqual(plaintext);
    }
  });

  it('defaults: suite 0x0578, frame length 4096, format 2', async () => {
    const { message } = await encrypt(randomBytes(10_000), { keyring });
    expect(inspectMessage(message)).toMatchObject({
      version: 2,
      suite: { id: '0x0578' },
      frameLength: 4096,
      frameCount: 3,
    });
    const forbid = await encrypt(randomBytes(1), {
      keyring,
      commitmentPolicy: 'FORBID_ENCRYPT_ALLOW_DECRYPT',
    });
    expect(inspectMessage(forbid.message).suite.id).toBe('0x0378');
  });

  it('streams with any chunk boundaries, in and out', async () => {
    const plaintext = randomBytes(50_000);
    const encryptor = await createEncryptor({ keyring, frameLength: 1000 });
    const out: Uint8Array[] = [];
    for (let at = 0, step = 1; at < plaintext.length; at += step, step = (step * 7) % 3001 || 1)
      out.push(await encryptor.push(plaintext.subarray(at, at + step)));
    out.push(await encryptor.finish());
    const message = Uint8Array.from(out.flatMap((part) => [...part]));
    const decryptor = createDecryptor({ keyring });
    const back: number[] = [];
    for (let at = 0, step = 3; at < message.length; at += step, step = (step * 5) % 2003 || 2)
      back.push(...(await decryptor.push(message.slice(at, at + step))));
    back.push(...(await decryptor.finish()));
    expect(Uint8Array.from(back)).toEqual(plaintext);
  });

  it('releases each frame as soon as it is complete, and the last part only on finish', async () => {
    const plaintext = randomBytes(3000);
    const { message } = await encrypt(plaintext, { keyring, frameLength: 1000 });
    const summary = inspectMessage(message);
    const decryptor = createDecryptor({ keyring });
    const endOfFrame2 = summary.parts[1].offset + summary.parts[1].length;
    expect(await decryptor.push(message.subarray(0, endOfFrame2 - 1))).toEqual(plaintext.subarray(0, 1000));
    expect(await decryptor.push(message.subarray(endOfFrame2 - 1))).toEqual(plaintext.subarray(1000, 2000));
    expect(await decryptor.finish()).toEqual(plaintext.subarray(2000));
  });

  it('reports progress and stops on abort', async () => {
    const seen: Array<[number, number | undefined]> = [];
    const plaintext = randomBytes(3 << 20);
    const { message } = await encrypt(plaintext, {
      keyring,
      onProgress: (done, total) => seen.push([done, total]),
    });
    expect(seen.at(-1)).toEqual([plaintext.length, plaintext.length]);
    expect(seen.length).toBe(3); // one per 1 MiB slice
    const controller = new AbortController();
    const done: number[] = [];
    const decrypting = decrypt(message, {
      keyring,
      signal: controller.signal,
      onProgress: (bytes) => {
        done.push(bytes);
        controller.abort();
      },
    });
    await expect(decrypting).rejects.toMatchObject({ code: 'ABORTED' });
    expect(done).toHaveLength(1);
    await expect(encrypt(plaintext, { keyring, signal: controller.signal })).rejects.toMatchObject({
      code: 'ABORTED',
    });
  });
});

describe('commitment policy', () => {
  const refusal = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => undefined,
      (e: EnvelopeError) => e,
    );
    return error?.code;
  };

  it('encrypt: REQUIRE_* policies refuse non-committing suites, FORBID refuses committing ones', async () => {
    expect(await refusal(encrypt(new Uint8Array(1), { keyring, suiteId: 0x0378 }))).toBe('COMMITMENT_POLICY');
    expect(
      await refusal(
        encrypt(new Uint8Array(1), {
          keyring,
          suiteId: 0x0178,
          commitmentPolicy: 'REQUIRE_ENCRYPT_ALLOW_DECRYPT',
        }),
      ),
    ).toBe('COMMITMENT_POLICY');
    expect(
      await refusal(
        encrypt(new Uint8Array(1), {
          keyring,
          suiteId: 0x0478,
          commitmentPolicy: 'FORBID_ENCRYPT_ALLOW_DECRYPT',
        }),
      ),
    ).toBe('COMMITMENT_POLICY');
    expect(
      await refusal(encrypt(new Uint8Array(1), { keyring, commitmentPolicy: 'MAYBE' as CommitmentPolicy })),
    ).toBe('BAD_OPTION');
  });

  it('decrypt: only REQUIRE_ENCRYPT_REQUIRE_DECRYPT refuses a format 1 message, before any key is asked for', async () => {
    const { message } = await encrypt(new Uint8Array(10), {
      keyring,
      suiteId: 0x0178,
      commitmentPolicy: 'FORBID_ENCRYPT_ALLOW_DECRYPT',
    });
    let asked = false;
    const counting = {
      ...keyring,
      onDecrypt: async (request: Parameters<typeof keyring.onDecrypt>[0]) => (
        (asked = true),
        keyring.onDecrypt(request)
      ),
    };
    const error = await decrypt(message, { keyring: counting }).catch((e: EnvelopeError) => e);
    expect(error).toMatchObject({ code: 'COMMITMENT_POLICY', offset: 2 });
    expect(asked).toBe(false);
    for (const policy of ['REQUIRE_ENCRYPT_ALLOW_DECRYPT', 'FORBID_ENCRYPT_ALLOW_DECRYPT'] as const)
      expect((await decrypt(message, { keyring, commitmentPolicy: policy })).plaintext).toHaveLength(10);
  });
});

describe('options', () => {
  it('refuses bad frame lengths, suites and limits', async () => {
    await expect(encrypt(new Uint8Array(1), { keyring, frameLength: 0 })).rejects.toThrow(
      /frame length must be an integer/,
    );
    await expect(encrypt(new Uint8Array(1), { keyring, frameLength: 1.5 })).rejects.toThrow(/frame length/);
    await expect(encrypt(new Uint8Array(1), { keyring, suiteId: 0x1234 as SuiteId })).rejects.toThrow(
      /unknown algorithm suite 0x1234/,
    );
    expect(() => createDecryptor({ keyring, maxBodySize: 0 })).toThrow(
      /maxBodySize must be a positive integer/,
    );
  });

  it('a decryptor or encryptor that failed or finished stays so', async () => {
    const decryptor = createDecryptor({ keyring });
    await expect(decryptor.push(Uint8Array.of(9))).rejects.toMatchObject({ code: 'UNSUPPORTED' });
    await expect(decryptor.finish()).rejects.toMatchObject({ code: 'UNSUPPORTED' });
    const encryptor = await createEncryptor({ keyring });
    await encryptor.finish();
    await expect(encryptor.push(new Uint8Array(1))).rejects.toThrow(/has finished/);
  });
});
