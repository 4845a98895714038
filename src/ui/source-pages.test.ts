import { describe, expect, it } from 'vitest';
import { SOURCE_PAGES, withoutSourceTags, withSourcePages } from './source-pages';

describe('withSourcePages', () => {
  it('cuts the text at each known tag and names its page', () => {
    expect(withSourcePages('the key policy alone is enough (CTL). Both are needed (XA).')).toEqual([
      'the key policy alone is enough ',
      SOURCE_PAGES.CTL,
      '. Both are needed ',
      SOURCE_PAGES.XA,
      '.',
    ]);
    expect(SOURCE_PAGES['IAM-EVAL'].url).toMatch(/reference_policies_evaluation-logic\.html$/);
  });

  it('leaves text without tags, and parentheses that are no tag, alone', () => {
    expect(withSourcePages('no tag here (AWS does not document this)')).toEqual([
      'no tag here (AWS does not document this)',
    ]);
    expect(withSourcePages('')).toEqual([]);
  });
});

describe('withoutSourceTags', () => {
  it('drops the tags and the space before them, and leaves other brackets', () => {
    expect(
      withoutSourceTags('Key-policy statements have no effect on it (GM), and RCPs do not apply (RCPK).'),
    ).toBe('Key-policy statements have no effect on it, and RCPs do not apply.');
    expect(withoutSourceTags('kms:Sign cannot be granted (GR)')).toBe('kms:Sign cannot be granted');
    expect(withoutSourceTags('a note (AWS does not document this)')).toBe(
      'a note (AWS does not document this)',
    );
  });
});
