/** The smallest single replacement that turns one text into another. Pure. */
export interface TextReplacement {
  /** 0-based offset in the old text. */
  offset: number;
  /** How many characters of the old text to replace. */
  length: number;
  text: string;
}

/**
 * Trims the common prefix and suffix, so an external update (the store, a test hook) touches only what changed
 * and the cursor and scroll position elsewhere stay put. Null when the texts are equal.
 */
export function minimalReplacement(oldText: string, newText: string): TextReplacement | null {
  if (oldText === newText) return null;
  let start = 0;
  const shorter = Math.min(oldText.length, newText.length);
  while (start < shorter && oldText.charCodeAt(start) === newText.charCodeAt(start)) start += 1;
  let oldEnd = oldText.length;
  let newEnd = newText.length;
  while (
    oldEnd > start &&
    newEnd > start &&
    oldText.charCodeAt(oldEnd - 1) === newText.charCodeAt(newEnd - 1)
  ) {
    oldEnd -= 1;
    newEnd -= 1;
  }
  // Never split a surrogate pair: widen the edit to whole code points.
  if (start > 0 && isHighSurrogate(oldText.charCodeAt(start - 1))) start -= 1;
  if (oldEnd < oldText.length && isLowSurrogate(oldText.charCodeAt(oldEnd))) {
    oldEnd += 1;
    newEnd += 1;
  }
  return { offset: start, length: oldEnd - start, text: newText.slice(start, newEnd) };
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
