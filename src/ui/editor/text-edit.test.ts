import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { minimalReplacement } from './text-edit';

function apply(text: string, edit: { offset: number; length: number; text: string } | null): string {
  return edit ? text.slice(0, edit.offset) + edit.text + text.slice(edit.offset + edit.length) : text;
}

describe('minimalReplacement', () => {
  it('is null for equal texts', () => {
    expect(minimalReplacement('{"a":1}', '{"a":1}')).toBeNull();
  });

  it('touches only the changed part', () => {
    expect(minimalReplacement('"Effect": "Allow"', '"Effect": "Deny"')).toEqual({
      offset: 11,
      length: 5,
      text: 'Deny',
    });
    expect(minimalReplacement('abc', 'abXc')).toEqual({ offset: 2, length: 0, text: 'X' });
    expect(minimalReplacement('abXc', 'abc')).toEqual({ offset: 2, length: 1, text: '' });
  });

  it('does not split a surrogate pair', () => {
    const edit = minimalReplacement('a\u{1F511}b', 'a\u{1F512}b')!;
    expect(edit.offset).toBe(1);
    expect(edit.text).toBe('\u{1F512}');
  });

  it('always turns the old text into the new one', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), (a, b) => {
        expect(apply(a, minimalReplacement(a, b))).toBe(b);
      }),
    );
  });
});
