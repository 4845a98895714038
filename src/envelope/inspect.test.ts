import { describe, expect, it } from 'vitest';
import { randomBytes, toBase64, toHex, utf8 } from './bytes';
import { encrypt } from './index';
import { createInspector, inspectMessage } from './inspect';
import { createTextDecoder, decodeMessageText, detectEncoding } from './message-text';
import { createRawAesKeyring } from './raw-aes-keyring';

const keyring = createRawAesKeyring({ keyNamespace: 'ns', keyName: 'name', wrappingKey: randomBytes(32) });

describe('inspector', () => {
  it('summarizes a message without a key', async () => {
    const { message, header } = await encrypt(randomBytes(9000), {
      keyring,
      encryptionContext: { app: 'lab' },
    });
    const summary = inspectMessage(message);
    expect(summary).toMatchObject({
      version: 2,
      suite: {
        id: '0x0578',
        name: 'ALG_AES256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384',
        committing: true,
        signed: true,
      },
      messageId: toHex(header.messageId),
      encryptionContext: { app: 'lab', 'aws-crypto-public-key': expect.any(String) },
      contentType: 'framed',
      frameLength: 4096,
      frameCount: 3,
      plaintextLength: 9000,
      signaturePresent: true,
      messageLength: message.length,
      partsTruncated: false,
    });
    expect(summary.encryptedDataKeys).toEqual([
      {
        providerId: 'ns',
        providerInfo: expect.stringMatching(/^[0-9a-f]+$/),
        providerInfoEncoding: 'hex',
        rawAes: {
          keyName: 'name',
          tagLengthBits: 128,
          ivLength: 12,
          iv: expect.stringMatching(/^[0-9a-f]{24}$/),
        },
        ciphertextLength: 48,
      },
    ]);
    expect(summary.parts.map((part) => [part.part, part.sequenceNumber, part.contentLength])).toEqual([
      ['frame', 1, 4096],
      ['frame', 2, 4096],
      ['final', 3, 808],
    ]);
  });

  it('streams, and caps the list of parts', async () => {
    const { message } = await encrypt(randomBytes(5000), { keyring, frameLength: 1 });
    const inspector = createInspector({ maxParts: 10 });
    for (let at = 0; at < message.length; at += 333) inspector.push(message.subarray(at, at + 333));
    const summary = inspector.finish();
    expect([summary.frameCount, summary.parts.length, summary.partsTruncated]).toEqual([5000, 10, true]);
  });

  it('names the byte of a structural fault, and a truncation', async () => {
    const { message } = await encrypt(randomBytes(100), { keyring, frameLength: 10 });
    const summary = inspectMessage(message);
    const swapped = message.slice();
    swapped.set(
      message.subarray(summary.parts[1].offset, summary.parts[1].offset + 4),
      summary.parts[0].offset,
    );
    expect(() => inspectMessage(swapped)).toThrow(
      `at byte ${summary.parts[0].offset}: frame sequence number 2 where 1 belongs`,
    );
    expect(() => inspectMessage(message.subarray(0, message.length - 3))).toThrow(
      /the message ends before the end of the footer/,
    );
  });
});

describe('message text', () => {
  it('detects binary, base64 and hex, and decodes them alike', async () => {
    const { message } = await encrypt(randomBytes(100), { keyring });
    const base64 = utf8(toBase64(message).replace(/(.{76})/g, '$1\n'));
    const urlSafe = utf8(toBase64(message).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''));
    const hex = utf8(` ${toHex(message).toUpperCase()}\n`);
    expect([detectEncoding(message), detectEncoding(base64), detectEncoding(hex)]).toEqual([
      'binary',
      'base64',
      'hex',
    ]);
    for (const text of [message, base64, urlSafe, hex])
      expect(decodeMessageText(text).message).toEqual(message);
  });

  it('decodes in chunks that split groups', () => {
    const text = utf8(toBase64(Uint8Array.from({ length: 200 }, (_, i) => i)));
    const decoder = createTextDecoder('base64');
    const parts: number[] = [];
    for (let at = 0; at < text.length; at += 7) parts.push(...decoder.push(text.subarray(at, at + 7)));
    parts.push(...decoder.finish());
    expect(parts).toEqual(Array.from({ length: 200 }, (_, i) => i));
  });

  it('says what it found when it is neither', () => {
    expect(() => detectEncoding(utf8('{"json": true}'))).toThrow(/starts with 0x7b, neither a version byte/);
    expect(() => decodeMessageText(utf8('0180zz'))).toThrow(/non-hex character/);
    expect(() => decodeMessageText(utf8('0180a'))).toThrow(/odd number of digits/);
    expect(() => decodeMessageText(utf8('AYA=AYA='))).toThrow(/text after "="/);
    expect(() => detectEncoding(new Uint8Array(0))).toThrow(/empty/);
  });
});
