import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance, nearestName } from './did-you-mean';

describe('did you mean', () => {
  it('measures edit distance', () => {
    expect(editDistance('titel', 'title')).toBe(2);
    expect(editDistance('Efect', 'Effect')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });

  it('suggests the nearest name, whatever its case', () => {
    expect(nearestName('titel', ['version', 'title', 'description'])).toBe('title');
    expect(nearestName('effect', ['Sid', 'Effect', 'Action'])).toBe('Effect');
    expect(nearestName('Resources', ['Resource', 'NotResource'])).toBe('Resource');
  });

  it('says nothing when no name is near enough', () => {
    expect(nearestName('grant', ['granteePrincipal', 'operations', 'constraints'])).toBeUndefined();
    expect(didYouMean('zzzzzz', ['title'])).toBe('');
  });

  it('prefers the first of equally near names and never suggests the word itself', () => {
    expect(nearestName('ab', ['ac', 'ad'])).toBe('ac');
    expect(nearestName('title', ['title', 'titles'])).toBe('titles');
  });

  it('ends a sentence with the suggestion in quotes', () => {
    expect(didYouMean('Condtion', ['Condition'])).toBe(' Did you mean "Condition"?');
  });
});
