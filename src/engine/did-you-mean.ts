/**
 * "Did you mean …?": the nearest valid name to a misspelt one, by edit distance. One helper for every place
 * that meets a name it does not know (scenario fields, request parameters, policy elements, condition
 * operators and keys, actions), so the suggestions read and behave alike.
 */

/** Levenshtein distance (insert, delete, substitute; each costs 1). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0];
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j];
      previous[j] = Math.min(
        previous[j] + 1,
        previous[j - 1] + 1,
        diagonal + (a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1),
      );
      diagonal = above;
    }
  }
  return previous[b.length];
}

/** How far a name may be from a candidate and still be called a misspelling of it. */
export function suggestionLimit(word: string): number {
  return Math.max(2, Math.floor(word.length / 4));
}

/**
 * The candidate nearest to `word` (compared without regard to case), when it is within `suggestionLimit`;
 * on a tie, the first in the list. A candidate equal to `word` is not a suggestion.
 */
export function nearestName(word: string, candidates: Iterable<string>): string | undefined {
  const lower = word.toLowerCase();
  const limit = suggestionLimit(word);
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    if (candidate === word) continue;
    // A length gap alone already exceeds the limit: no need to compute the distance.
    if (Math.abs(candidate.length - word.length) >= bestDistance) continue;
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** ` Did you mean "title"?`, or '' when no candidate is near enough (for the end of a sentence). */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const match = nearestName(word, candidates);
  return match ? ` Did you mean "${match}"?` : '';
}
