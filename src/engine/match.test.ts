/**
 * The wildcard matcher (match.ts): `*` and `?` as IAM reads them (IAM-ACT, IAM-OPS StringLike and Arn*),
 * checked against a plain dynamic-programming reference on random patterns, and on patterns that made the
 * old RegExp-based matcher backtrack for ever.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compileArnPattern, compileGlob, type PatternPiece } from './match';

type Token = { kind: 'char'; code: number } | { kind: 'one' } | { kind: 'any' };

function tokens(pieces: PatternPiece[]): Token[] {
  const out: Token[] = [];
  for (const piece of pieces) {
    for (let i = 0; i < piece.text.length; i++) {
      const ch = piece.text[i];
      if (!piece.literal && ch === '*') out.push({ kind: 'any' });
      else if (!piece.literal && ch === '?') out.push({ kind: 'one' });
      else out.push({ kind: 'char', code: piece.text.charCodeAt(i) });
    }
  }
  return out;
}

/** The textbook table: can pattern[i..] match value[j..]? Quadratic, obviously right. */
function referenceMatch(pieces: PatternPiece[], value: string, segmentSafe = false): boolean {
  const pattern = tokens(pieces);
  const n = value.length;
  let next = new Array<boolean>(n + 1).fill(false);
  next[n] = true; // empty pattern matches only the empty rest
  for (let i = pattern.length - 1; i >= 0; i--) {
    const row = new Array<boolean>(n + 1).fill(false);
    const token = pattern[i];
    for (let j = n; j >= 0; j--) {
      const code = value.charCodeAt(j);
      const wildOk = j < n && !(segmentSafe && code === 58); /* : */
      if (token.kind === 'any') row[j] = next[j] || (wildOk && row[j + 1]);
      else if (token.kind === 'one') row[j] = wildOk && next[j + 1];
      else row[j] = j < n && code === token.code && next[j + 1];
    }
    next = row;
  }
  return next[0];
}

const ALPHABET = ['a', 'b', ':', '*', '?', 'A'];
const patternText = fc.array(fc.constantFrom(...ALPHABET), { maxLength: 10 }).map((c) => c.join(''));
const valueText = fc
  .array(fc.constantFrom('a', 'b', ':', 'A', '*', '?'), { maxLength: 14 })
  .map((c) => c.join(''));
const pieces = fc.array(fc.record({ text: patternText, literal: fc.boolean() }), {
  minLength: 1,
  maxLength: 3,
});

describe('compileGlob', () => {
  it('agrees with the reference on random patterns and values', () => {
    fc.assert(
      fc.property(pieces, valueText, (pattern, value) => {
        expect(compileGlob(pattern)(value)).toBe(referenceMatch(pattern, value));
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees with the reference when wildcards may not cross a colon', () => {
    fc.assert(
      fc.property(pieces, valueText, (pattern, value) => {
        expect(compileGlob(pattern, { segmentSafe: true })(value)).toBe(referenceMatch(pattern, value, true));
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees with the reference on values built to match (so that matches are common)', () => {
    const matching = patternText.chain((pattern) =>
      fc
        .array(fc.constantFrom('a', 'b', 'A', ':', ''), {
          minLength: pattern.length,
          maxLength: pattern.length,
        })
        .map((fill) => ({
          pattern,
          value: [...pattern]
            .map((ch, i) => (ch === '*' ? fill[i].repeat(i % 3) : ch === '?' ? fill[i] || 'a' : ch))
            .join(''),
        })),
    );
    fc.assert(
      fc.property(matching, ({ pattern, value }) => {
        const asPieces = [{ text: pattern, literal: false }];
        expect(compileGlob(pattern)(value)).toBe(referenceMatch(asPieces, value));
      }),
      { numRuns: 2000 },
    );
  });

  it('ignores case only when asked (IAM-ACT: action names)', () => {
    expect(compileGlob('kms:Re*')('KMS:REENCRYPTFROM')).toBe(false);
    expect(compileGlob('kms:Re*', { ignoreCase: true })('KMS:REENCRYPTFROM')).toBe(true);
    expect(compileGlob('kms:De?rypt', { ignoreCase: true })('kms:decrypt')).toBe(true);
    expect(compileGlob('kms:De?rypt', { ignoreCase: true })('kms:decryptx')).toBe(false);
  });

  it('keeps literal pieces literal (IAM-VAR ${*} and ${?})', () => {
    const pattern: PatternPiece[] = [
      { text: 'a', literal: false },
      { text: '*?', literal: true },
      { text: '*', literal: false },
    ];
    expect(compileGlob(pattern)('a*?zzz')).toBe(true);
    expect(compileGlob(pattern)('abczzz')).toBe(false);
  });

  it('finishes on patterns that made a backtracking RegExp run for ever', () => {
    const stars = 'a*'.repeat(9) + 'b';
    expect(compileGlob(stars)('a'.repeat(45))).toBe(false);
    expect(compileGlob(stars)('a'.repeat(45) + 'b')).toBe(true);
    expect(compileGlob('*'.repeat(100_000) + 'x')('y'.repeat(50_000))).toBe(false);
    expect(compileGlob('*'.repeat(100_000) + 'x')('y'.repeat(50_000) + 'x')).toBe(true);
    expect(compileGlob('*a'.repeat(5_000) + '*b')('a'.repeat(20_000))).toBe(false);
    expect(compileGlob('?*'.repeat(3_000) + 'b')('a'.repeat(3_000))).toBe(false);
    expect(compileGlob('?*'.repeat(3_000) + 'b', { segmentSafe: true })('a'.repeat(3_000))).toBe(false);
  });
});

describe('compileArnPattern', () => {
  it('matches each of the first five ARN segments on its own (IAM-OPS Arn*)', () => {
    const pattern = compileArnPattern('arn:aws:someservice:*:111122223333:finance/*');
    expect(pattern('arn:aws:someservice:us-east-2:111122223333:finance/document.txt')).toBe(true);
    // IAM-OPS's own example: the first * must not swallow the colons up to 111122223333.
    expect(
      pattern('arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt'),
    ).toBe(false);
  });

  it('finishes on a key ARN pattern with 100,000 stars', () => {
    const pattern = compileArnPattern(`arn:aws:kms:us-east-1:111122223333:key/${'*'.repeat(100_000)}x`);
    expect(pattern('arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab')).toBe(
      false,
    );
    expect(pattern('arn:aws:kms:us-east-1:111122223333:key/1234x')).toBe(true);
    const everywhere = compileArnPattern(`arn:aws:kms:${'*'.repeat(50_000)}:${'*?'.repeat(10_000)}:key/*`);
    expect(everywhere('arn:aws:kms:us-east-1:111122223333:key/1234')).toBe(false);
    expect(everywhere(`arn:aws:kms:us-east-1:${'1'.repeat(10_000)}:key/1234`)).toBe(true);
  });
});
