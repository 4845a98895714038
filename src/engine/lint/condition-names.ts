/**
 * The nearest valid condition key or operator to a misspelt one, for the linter's "did you mean" hints.
 * Keys with a variable part (`kms:EncryptionContext:<name>`, `aws:PrincipalTag/<tag>`) are compared on their
 * fixed prefix, and the learner's own variable part is kept: `kms:EncryptionContxt:dept` → `kms:EncryptionContext:dept`.
 */
import { CONDITION_KEYS, CONDITION_OPERATORS } from '../data';
import { editDistance, nearestName, suggestionLimit } from '../did-you-mean';

const FIXED_KEY_NAMES = CONDITION_KEYS.filter((k) => !k.patternPrefix).map((k) => k.name);

/** `kms:EncryptionContext:` and `aws:PrincipalTag/` as AWS spells them, with the separator that ends them. */
const KEY_PREFIXES = CONDITION_KEYS.filter((k) => k.patternPrefix).map((k) => {
  const prefix = k.name.slice(0, k.patternPrefix!.length);
  return { prefix, separator: prefix[prefix.length - 1] };
});

const count = (text: string, char: string) => text.split(char).length - 1;

/** The nearest known condition key to `name`, or undefined when none is close. */
export function nearestConditionKey(name: string): string | undefined {
  let best = nearestName(name, FIXED_KEY_NAMES);
  let bestDistance = best ? editDistance(name.toLowerCase(), best.toLowerCase()) : Infinity;
  for (const { prefix, separator } of KEY_PREFIXES) {
    // The written name's prefix ends at the same separator (by count): `kms:EncryptionContxt:` for `kms:…:`.
    const nth = count(prefix, separator);
    let end = -1;
    for (let i = 0; i < nth; i++) {
      end = name.indexOf(separator, end + 1);
      if (end < 0) break;
    }
    if (end < 0 || end === name.length - 1) continue;
    const written = name.slice(0, end + 1);
    const distance = editDistance(written.toLowerCase(), prefix.toLowerCase());
    if (distance === 0 || distance > suggestionLimit(prefix) || distance >= bestDistance) continue;
    best = prefix + name.slice(end + 1);
    bestDistance = distance;
  }
  return best;
}

const SET_PREFIXES = ['ForAllValues', 'ForAnyValue'];
const OPERATOR_NAMES = CONDITION_OPERATORS.flatMap((o) =>
  o.ifExists ? [o.name, `${o.name}IfExists`] : [o.name],
);

/** The nearest valid operator to `written` (`StringEqual` → `StringEquals`, `ForAnyValues:…` → `ForAnyValue:…`). */
export function nearestOperator(written: string): string | undefined {
  const colon = written.indexOf(':');
  if (colon < 0) return nearestName(written, OPERATOR_NAMES);
  const prefix = written.slice(0, colon);
  const rest = written.slice(colon + 1);
  const set =
    SET_PREFIXES.find((p) => p.toLowerCase() === prefix.toLowerCase()) ?? nearestName(prefix, SET_PREFIXES);
  if (!set) return undefined;
  const base =
    OPERATOR_NAMES.find((o) => o.toLowerCase() === rest.toLowerCase()) ?? nearestName(rest, OPERATOR_NAMES);
  return base ? `${set}:${base}` : undefined;
}
