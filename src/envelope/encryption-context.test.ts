import { describe, expect, it } from 'vitest';
import { toHex, utf8 } from './bytes';
import {
  checkCallerContext,
  parseContextPairs,
  PUBLIC_KEY_CONTEXT_KEY,
  serializeContextPairs,
} from './encryption-context';
import { EnvelopeError } from './errors';

const keysInOrder = (bytes: Uint8Array) => Object.keys(parseContextPairs(bytes, 0));

describe('encryption context serialization', () => {
  it('is no bytes at all when empty', () => {
    expect(serializeContextPairs({})).toHaveLength(0);
    expect(parseContextPairs(new Uint8Array(0), 0)).toEqual({});
  });

  it('writes count, then length-prefixed UTF-8 keys and values', () => {
    expect(toHex(serializeContextPairs({ k: 'v' }))).toBe('0001' + '0001' + '6b' + '0001' + '76');
  });

  it('sorts by the UTF-8 bytes of the keys, not by locale or UTF-16', () => {
    // "B" (0x42) < "a" (0x61) in bytes; U+FF21 (EF BC A1) < U+1F600 (F0 9F 98 80) in UTF-8, not in UTF-16.
    const bytes = serializeContextPairs({ '😀': '1', a: '2', Ａ: '3', B: '4' });
    expect(keysInOrder(bytes)).toEqual(['B', 'a', 'Ａ', '😀']);
    expect(['B', 'a', 'Ａ', '😀'].sort((x, y) => x.localeCompare(y))).not.toEqual(['B', 'a', 'Ａ', '😀']);
  });

  it('round-trips a key named __proto__ as an ordinary pair', () => {
    const context = parseContextPairs(serializeContextPairs(JSON.parse('{"__proto__":"x","y":"z"}')), 0);
    expect(Object.keys(context)).toEqual(['__proto__', 'y']);
    expect(Object.getPrototypeOf(context)).toBe(Object.prototype);
  });

  it('refuses pairs that do not fit the 2-byte lengths', () => {
    const long = 'x'.repeat(70_000);
    expect(() => serializeContextPairs({ [long]: 'v' })).toThrow(/over 65535 bytes/);
    const wide = Object.fromEntries(
      Array.from({ length: 3000 }, (_, i) => [`key-${i}`, 'value-value-value']),
    );
    expect(() => serializeContextPairs(wide)).toThrow(/65535/);
  });
});

describe('encryption context parsing errors name the byte', () => {
  const at = (bytes: number[], start = 100) => {
    try {
      parseContextPairs(Uint8Array.from(bytes), start);
    } catch (error) {
      return [(error as EnvelopeError).code, (error as EnvelopeError).offset, (error as Error).message];
    }
    throw new Error('parsed');
  };

  it('a key running past the field', () => {
    expect(at([0, 1, 0, 5, 0x61])).toEqual([
      'MALFORMED',
      102,
      expect.stringMatching(/^at byte 102: encryption context key 1 is 5 bytes/),
    ]);
  });
  it('a key given twice', () => {
    const pair = [0, 1, 0x61, 0, 1, 0x62];
    expect(at([0, 2, ...pair, ...pair])).toEqual([
      'MALFORMED',
      108,
      expect.stringContaining('"a" appears twice'),
    ]);
  });
  it('bytes after the pairs', () => {
    expect(at([0, 1, 0, 1, 0x61, 0, 1, 0x62, 0xff])).toEqual([
      'MALFORMED',
      108,
      expect.stringContaining('1 byte after'),
    ]);
  });
  it('a value that is not UTF-8', () => {
    expect(at([0, 1, 0, 1, 0x61, 0, 1, 0xff])).toEqual([
      'MALFORMED',
      107,
      expect.stringContaining('not UTF-8'),
    ]);
  });
  it('a count without pairs', () => {
    expect(at([0, 2, 0, 1, 0x61, 0, 1, 0x62])).toEqual([
      'MALFORMED',
      108,
      expect.stringContaining('key 2 length'),
    ]);
  });
});

describe("the caller's context", () => {
  it('may not use the reserved verification-key name', () => {
    expect(() => checkCallerContext({ [PUBLIC_KEY_CONTEXT_KEY]: 'x' })).toThrow(/reserved/);
  });
  it('holds strings only', () => {
    expect(() => checkCallerContext({ n: 1 })).toThrow(/not a string/);
    expect(() => checkCallerContext(['a'])).toThrow(/object of strings/);
    expect(checkCallerContext({ a: 'b' })).toEqual({ a: 'b' });
  });
  it('is serialized as UTF-8', () => {
    expect(serializeContextPairs({ é: 'ü' })).toEqual(
      Uint8Array.from([0, 1, 0, 2, ...utf8('é'), 0, 2, ...utf8('ü')]),
    );
  });
});
