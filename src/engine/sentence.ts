/**
 * Sentences built from pieces: the first letter of a sentence is re-cased only when the sentence starts with
 * an ordinary English word. A piece that starts with an identifier (an operator such as ForAnyValue:Null, a
 * condition key, an action, an ARN, a Sid, a quoted name) keeps the casing the user wrote or AWS uses:
 * "forAnyValue:Null is not a condition operator" was the fault this module exists to prevent.
 */

/**
 * Words that look like ordinary words but name something in a policy (elements, effects, operators that are
 * one capitalized word) or a service; they are never re-cased.
 */
const NAMES = new Set([
  'Action',
  'NotAction',
  'Allow',
  'Bool',
  'Condition',
  'Deny',
  'Effect',
  'Id',
  'Null',
  'Organizations',
  'Principal',
  'NotPrincipal',
  'Resource',
  'NotResource',
  'Sid',
  'Statement',
  'Version',
]);

/** The first word of a text: up to the first space or sentence punctuation. */
function firstWord(text: string): string {
  const match = /^[^\s,;()]+/.exec(text);
  return match ? match[0] : '';
}

/** An ordinary lower-case word ("the", "every"), not an identifier ("kms:Decrypt", "arn:aws:…", "aws:SourceIp"). */
function isLowerWord(word: string): boolean {
  return /^[a-z]+[.:]?$/.test(word) && !word.endsWith(':');
}

/** An ordinary capitalized word ("The", "Every", "A"), not an identifier ("StringEquals", "AWS", "Null"). */
function isCapitalizedWord(word: string): boolean {
  const bare = word.replace(/[.:]$/, '');
  return /^[A-Z][a-z]*$/.test(bare) && !word.endsWith(':') && !NAMES.has(bare);
}

/** The text as the start of a sentence: "the key policy …" becomes "The key policy …"; "kms:Decrypt …" stays. */
export function upperFirst(text: string): string {
  return isLowerWord(firstWord(text)) ? text.charAt(0).toUpperCase() + text.slice(1) : text;
}

/** The text inside a sentence: "Every value …" becomes "every value …"; "ForAnyValue:Null …" stays. */
export function lowerFirst(text: string): string {
  return isCapitalizedWord(firstWord(text)) ? text.charAt(0).toLowerCase() + text.slice(1) : text;
}
