/**
 * How the CLI reads a file as text (files.ts): UTF-8 with or without a byte order mark, UTF-16 LE/BE with one,
 * and a located error (line, column) for bytes that are not well-formed instead of silent U+FFFD replacement.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateScenario, lintPolicy } from '../engine/index';
import { runCli } from './commands';
import { decodeText, firstInvalidUtf8 } from './files';

const utf8 = (text: string) => new TextEncoder().encode(text);
const bytes = (...parts: (number[] | Uint8Array)[]) => Uint8Array.from(parts.flatMap((p) => [...p]));
function utf16(text: string, littleEndian: boolean, bom = true): Uint8Array {
  const out = new Uint8Array((bom ? 2 : 0) + text.length * 2);
  const view = new DataView(out.buffer);
  if (bom) view.setUint16(0, 0xfeff, littleEndian);
  for (let i = 0; i < text.length; i++)
    view.setUint16((bom ? 2 : 0) + i * 2, text.charCodeAt(i), littleEndian);
  return out;
}

const SAMPLE = '{\n  "title": "Ünïcödé 🔑 ключ"\n}\n';

describe('decodeText', () => {
  it('reads UTF-8 with and without a byte order mark (the mark is not part of the text)', () => {
    expect(decodeText(utf8(SAMPLE))).toEqual({ ok: true, text: SAMPLE, encoding: 'utf-8' });
    expect(decodeText(bytes([0xef, 0xbb, 0xbf], utf8(SAMPLE)))).toEqual({
      ok: true,
      text: SAMPLE,
      encoding: 'utf-8',
    });
  });

  it('reads UTF-16 little- and big-endian with a byte order mark, astral characters included', () => {
    expect(decodeText(utf16(SAMPLE, true))).toEqual({ ok: true, text: SAMPLE, encoding: 'utf-16le' });
    expect(decodeText(utf16(SAMPLE, false))).toEqual({ ok: true, text: SAMPLE, encoding: 'utf-16be' });
  });

  it('locates the first byte that is not UTF-8, by line and column', () => {
    const text = bytes(utf8('{\n  "title": "caf'), [0xe9], utf8('"\n}'));
    expect(decodeText(text)).toEqual({
      ok: false,
      line: 2,
      column: 16,
      message:
        'invalid UTF-8: the byte 0xE9 (offset 17 in the file) is not part of a UTF-8 character; save the file as UTF-8',
    });
    // Overlong "/", an encoded surrogate, a code point past U+10FFFF, a cut sequence: all refused.
    for (const bad of [
      [0xc0, 0xaf],
      [0xed, 0xa0, 0x80],
      [0xf4, 0x90, 0x80, 0x80],
      [0xe2, 0x82],
    ]) {
      const decoded = decodeText(bytes(utf8('ab\ncd'), bad));
      expect(decoded, bad.join(' ')).toMatchObject({ ok: false, line: 2, column: 3 });
    }
  });

  it('finds exactly the bytes TextDecoder refuses in fatal mode', () => {
    const fatal = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.integer({ min: 0, max: 255 }),
            fc.constantFrom(0x80, 0xbf, 0xc2, 0xe0, 0xed, 0xf0, 0xf4),
          ),
          {
            maxLength: 12,
          },
        ),
        (list) => {
          const input = Uint8Array.from(list);
          let valid = true;
          try {
            fatal.decode(input);
          } catch {
            valid = false;
          }
          expect(firstInvalidUtf8(input) === -1).toBe(valid);
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('refuses an unpaired surrogate or an odd byte in UTF-16, located', () => {
    const lone = utf16('{\n "a": "x\ud800"}', true);
    expect(decodeText(lone)).toMatchObject({ ok: false, line: 2, column: 9 });
    expect(decodeText(bytes(utf16('{}', false), [0x00]))).toMatchObject({ ok: false, line: 1, column: 3 });
  });

  it('says a file is UTF-16 without a byte order mark instead of "1:1 unexpected character"', () => {
    expect(decodeText(utf16('{"a": 1}', true, false))).toMatchObject({
      ok: false,
      message: expect.stringMatching(/UTF-16 without a byte order mark/) as string,
    });
  });
});

describe('lab eval and lab lint read every encoding', () => {
  let dir: string;
  const out: string[] = [];
  const err: string[] = [];
  const run = (...argv: string[]) =>
    runCli(argv, {
      cwd: dir,
      root: dir,
      stdout: (t) => out.push(t),
      stderr: (t) => err.push(t),
      engine: { evaluateScenario: (s, sources) => evaluateScenario(s, { sources }), lintPolicy },
    });
  const KEY = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  const scenario = JSON.stringify(
    {
      version: 1,
      title: 'Schlüssel',
      keys: {
        [KEY]: {
          policy: {
            Version: '2012-10-17',
            Statement: [
              { Effect: 'Allow', Principal: { AWS: '111122223333' }, Action: 'kms:*', Resource: '*' },
            ],
          },
        },
      },
      requests: [
        {
          id: 'r',
          principal: 'arn:aws:iam::111122223333:root',
          action: 'kms:DescribeKey',
          keyId: KEY,
          expect: 'Allow',
        },
      ],
    },
    null,
    2,
  );
  const policy =
    '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}]}';

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'lab-encodings-'));
    await writeFile(path.join(dir, 'bom.json'), bytes([0xef, 0xbb, 0xbf], utf8(scenario)));
    await writeFile(path.join(dir, 'le.json'), utf16(scenario, true));
    await writeFile(path.join(dir, 'be.json'), utf16(scenario, false));
    await writeFile(
      path.join(dir, 'bad.json'),
      bytes(utf8(scenario.slice(0, 40)), [0xff], utf8(scenario.slice(40))),
    );
    await writeFile(path.join(dir, 'policy-le.json'), utf16(policy, true));
    await writeFile(
      path.join(dir, 'policy-bad.json'),
      bytes(utf8(policy.slice(0, 10)), [0xc3, 0x28], utf8(policy.slice(10))),
    );
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('evaluates UTF-8 with a BOM and UTF-16 LE/BE scenarios (they were "1:1 unexpected character")', async () => {
    for (const file of ['bom.json', 'le.json', 'be.json']) {
      out.length = 0;
      err.length = 0;
      expect(await run('eval', file), `${file}: ${err.join('')}`).toBe(0);
      expect(JSON.parse(out.join(''))[0]).toMatchObject({ title: 'Schlüssel', summary: { passed: 1 } });
    }
  });

  it('refuses invalid UTF-8 with file, line and column, and exit code 2 (it was read with U+FFFD)', async () => {
    err.length = 0;
    expect(await run('eval', 'bad.json')).toBe(2);
    const before = scenario.slice(0, 40);
    const line = before.split('\n').length;
    const column = before.length - before.lastIndexOf('\n');
    expect(err.join('')).toContain(
      `bad.json:${line}:${column}  $: invalid UTF-8: the byte 0xFF (offset ${utf8(before).length} in the file)`,
    );
  });

  it('lints a UTF-16 policy, and locates a bad byte in a policy', async () => {
    out.length = 0;
    expect(await run('lint', 'policy-le.json', '--type', 'identity')).toBe(0);
    expect(JSON.parse(out.join(''))[0].findings.map((f: { code: string }) => f.code)).not.toContain(
      'JSON_SYNTAX_ERROR',
    );
    err.length = 0;
    expect(await run('lint', 'policy-bad.json', '--type', 'identity')).toBe(2);
    expect(err.join('')).toBe(
      'policy-bad.json:1:11  invalid UTF-8: the byte 0xC3 (offset 10 in the file) is not part of a UTF-8 character; save the file as UTF-8\n',
    );
  });
});
