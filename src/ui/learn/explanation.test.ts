import { describe, expect, it } from 'vitest';
import { explanationRevealable, explanationShown } from './explanation';

const wrong = { correct: false };
const right = { correct: true };

describe('explanationShown', () => {
  it('shows other question types once answered, right or wrong', () => {
    for (const type of ['single', 'multiple', 'true-false', 'short', 'ordering', 'predict'] as const) {
      expect(explanationShown(type, undefined, false)).toBe(false);
      expect(explanationShown(type, wrong, false)).toBe(true);
      expect(explanationShown(type, right, false)).toBe(true);
      expect(explanationRevealable(type, wrong, false)).toBe(false);
    }
  });

  it('keeps a "fix the policy" explanation back after a failing attempt until asked for', () => {
    expect(explanationShown('fix', undefined, false)).toBe(false);
    expect(explanationShown('fix', wrong, false)).toBe(false);
    expect(explanationRevealable('fix', wrong, false)).toBe(true);
    expect(explanationShown('fix', wrong, true)).toBe(true);
    expect(explanationRevealable('fix', wrong, true)).toBe(false);
  });

  it('shows a "fix the policy" explanation once the policy passes', () => {
    expect(explanationShown('fix', right, false)).toBe(true);
    expect(explanationRevealable('fix', right, false)).toBe(false);
    expect(explanationRevealable('fix', undefined, false)).toBe(false);
  });
});
