import { describe, expect, it } from 'vitest';
import { concat, toHex, u16, utf8 } from './bytes';
import type { EnvelopeError } from './errors';
import {
  parseHeader,
  serializeHeaderAuth,
  serializeHeaderBody,
  type HeaderFields,
  type ParsedHeader,
} from './header';
import { SUITES } from './suites';

const edk = (id: string, info: string, ciphertext: number[]) => ({
  providerId: id,
  providerInfo: utf8(info),
  ciphertext: Uint8Array.from(ciphertext),
});

const V2: HeaderFields = {
  version: 2,
  suite: SUITES[0x0578],
  messageId: new Uint8Array(32).fill(7),
  encryptionContext: { team: 'a', 'aws-crypto-public-key': 'AAAA' },
  encryptedDataKeys: [
    edk('aws-kms', 'arn:aws:kms:us-east-1:111122223333:key/k', [1, 2, 3]),
    edk('ns', 'name', [9]),
  ],
  contentType: 'framed',
  frameLength: 4096,
  commitment: new Uint8Array(32).fill(0xcc),
};
const V1: HeaderFields = {
  ...V2,
  version: 1,
  suite: SUITES[0x0178],
  messageId: new Uint8Array(16).fill(5),
  encryptionContext: {},
  commitment: undefined,
  contentType: 'non-framed',
  frameLength: 0,
};
const TAG = new Uint8Array(16).fill(0xab);
const IV = new Uint8Array(12).fill(0x11);

function message(fields: HeaderFields, iv = new Uint8Array(12)) {
  const body = serializeHeaderBody(fields);
  return concat(body, serializeHeaderAuth(fields.version, iv, TAG));
}

const parsed = (bytes: Uint8Array): ParsedHeader => {
  const result = parseHeader(bytes);
  if (!result.complete) throw new Error(`incomplete, needs ${result.needed}`);
  return result.parsed;
};

function refusal(bytes: Uint8Array, limits = {}): [string, number | undefined, string] {
  try {
    parseHeader(bytes, limits);
  } catch (error) {
    const e = error as EnvelopeError;
    return [e.code, e.offset, e.message];
  }
  throw new Error('parsed');
}

describe('header round trip', () => {
  it('format 2: every field back, the tag after the commitment, the IV all zeros', () => {
    const bytes = message(V2);
    const { header, body, length } = parsed(bytes);
    expect(header).toMatchObject({ ...V2, headerTag: TAG, headerIv: new Uint8Array(12) });
    expect(length).toBe(bytes.length);
    expect(body).toEqual(bytes.subarray(0, bytes.length - 16));
  });

  it('format 1: type 0x80, reserved zeros, IV length 12, the header IV serialized', () => {
    const bytes = message(V1, IV);
    const { header, fields } = parsed(bytes);
    expect(header).toMatchObject({ ...V1, headerIv: IV, headerTag: TAG });
    expect(toHex(bytes.subarray(0, 4))).toBe('01800178');
    const reserved = fields.find((f) => f.field === 'reserved')!;
    expect(toHex(bytes.subarray(reserved.offset, reserved.offset + 5))).toBe('000000000c');
  });

  it('an empty context is an AAD length of 0 and no count', () => {
    const { fields } = parsed(message(V1));
    const aad = fields.find((f) => f.field === 'aadLength')!;
    expect(aad.offset).toBe(20);
    expect(fields.find((f) => f.field === 'encryptionContext')!.length).toBe(0);
  });

  it('names every field with its offset, contiguously, for the byte map', () => {
    const bytes = message(V2);
    const { fields } = parsed(bytes);
    let at = 0;
    for (const field of fields) {
      expect(field.offset, field.field).toBe(at);
      at += field.length;
    }
    expect(at).toBe(bytes.length);
    expect(fields.map((f) => f.field)).toContain('edk 2 providerInfo');
  });

  it('asks for more bytes, never past what the fields need, until the header is whole', () => {
    const bytes = message(V2);
    let length = 0;
    for (;;) {
      const result = parseHeader(bytes.subarray(0, length));
      if (result.complete) break;
      expect(result.needed).toBeGreaterThan(length);
      expect(result.needed).toBeLessThanOrEqual(bytes.length);
      length = result.needed;
    }
    expect(length).toBe(bytes.length);
  });
});

describe('header errors name the byte offset', () => {
  const bytes = message(V2);
  const change = (offset: number, ...values: number[]) => {
    const copy = bytes.slice();
    copy.set(values, offset);
    return copy;
  };

  it('unknown version (and base64 text)', () => {
    expect(refusal(change(0, 3))).toEqual([
      'UNSUPPORTED',
      0,
      expect.stringMatching(/^at byte 0: unknown message format version 0x03/),
    ]);
    expect(refusal(utf8('AgV4'))[2]).toMatch(/looks like base64/);
  });
  it('unknown suite', () => {
    expect(refusal(change(1, 0x12, 0x34))).toEqual([
      'UNSUPPORTED',
      1,
      'at byte 1: unknown algorithm suite 0x1234',
    ]);
  });
  it('a suite of the other format', () => {
    expect(refusal(change(1, 0x01, 0x78))[2]).toMatch(
      /^at byte 1: suite 0x0178 belongs in a format 1 header/,
    );
  });
  it('no encrypted data keys', () => {
    const at = parsed(bytes).fields.find((f) => f.field === 'edkCount')!.offset;
    expect(refusal(change(at, 0, 0))).toEqual([
      'MALFORMED',
      at,
      `at byte ${at}: the header has no encrypted data keys`,
    ]);
  });
  it('more encrypted data keys than maxEncryptedDataKeys', () => {
    const at = parsed(bytes).fields.find((f) => f.field === 'edkCount')!.offset;
    expect(refusal(bytes, { maxEncryptedDataKeys: 1 })).toEqual([
      'LIMIT',
      at,
      expect.stringContaining('2 encrypted data keys; maxEncryptedDataKeys is 1'),
    ]);
    expect(parseHeader(bytes, { maxEncryptedDataKeys: 2 }).complete).toBe(true);
  });
  it('a provider ID that is not UTF-8', () => {
    const field = parsed(bytes).fields.find((f) => f.field === 'edk 1 providerId')!;
    expect(refusal(change(field.offset, 0xff))).toEqual([
      'MALFORMED',
      field.offset,
      expect.stringContaining('not UTF-8'),
    ]);
  });
  it('an unknown content type', () => {
    const at = parsed(bytes).fields.find((f) => f.field === 'contentType')!.offset;
    expect(refusal(change(at, 3))).toEqual([
      'MALFORMED',
      at,
      expect.stringContaining('content type is 0x03'),
    ]);
  });
  it('a framed message with frame length 0, a non-framed one with a frame length', () => {
    expect(() => message({ ...V2, frameLength: 0 })).not.toThrow();
    expect(refusal(message({ ...V2, frameLength: 0 }))[2]).toMatch(/framed message has frame length 0/);
    expect(refusal(message({ ...V1, frameLength: 5 }))[2]).toMatch(/non-framed message has frame length 5/);
  });
  it('format 1: reserved bytes and IV length', () => {
    const v1 = message(V1);
    const { fields } = parsed(v1);
    const reserved = fields.find((f) => f.field === 'reserved')!.offset;
    const withReserved = v1.slice();
    withReserved[reserved + 3] = 1;
    expect(refusal(withReserved)).toEqual([
      'MALFORMED',
      reserved,
      `at byte ${reserved}: the reserved field is not 0x00000000`,
    ]);
    const withIv = v1.slice();
    withIv[reserved + 4] = 16;
    expect(refusal(withIv)[2]).toMatch(/IV length is 16/);
  });
  it('an encryption context that overruns its length', () => {
    const body = serializeHeaderBody(V2);
    const aadAt = 35;
    const bad = body.slice();
    bad.set(u16(3), aadAt); // AAD length 3 cuts the first pair short
    expect(refusal(concat(bad, TAG))[0]).toBe('MALFORMED');
    expect(refusal(concat(bad, TAG))[1]).toBeGreaterThanOrEqual(aadAt + 2);
  });
});

describe('header serialization limits', () => {
  it('refuses fields over 65535 bytes and headers without EDKs', () => {
    expect(() => serializeHeaderBody({ ...V2, encryptedDataKeys: [] })).toThrow(/1 to 65535/);
    const big = {
      ...V2,
      encryptedDataKeys: [{ ...V2.encryptedDataKeys[0], ciphertext: new Uint8Array(70_000) }],
    };
    expect(() => serializeHeaderBody(big)).toThrow(/encrypted data key 1 is 70000 bytes/);
  });
});
