/**
 * Completion and hover content for the policy editors, built from the KMS data (src/engine/data). Pure: it
 * returns plain suggestion records that the Monaco provider (providers.ts) maps to CompletionItems.
 */
import {
  CONDITION_KEYS,
  CONDITION_OPERATORS,
  CONDITION_OPERATORS_PAGE,
  KMS_ACTIONS,
  baseTypesOf,
  conditionKey,
  conditionKeysForActions,
  describeAction,
  describeConditionKey,
  isParsedOperator,
  kmsActionsMatching,
  parseConditionOperator,
} from '../../engine/data';
import type { ConditionKeyInfo, ConditionOperatorInfo, ParsedConditionOperator } from '../../engine/data';
import type { PolicyCursorContext } from './policy-context';
import { STATEMENT_ELEMENTS } from './policy-schema';

export type SuggestionKind =
  'element' | 'effect' | 'action' | 'wildcard' | 'operator' | 'condition-key' | 'value';

export interface Suggestion {
  kind: SuggestionKind;
  /** Shown in the list, e.g. `kms:Decrypt`. */
  label: string;
  /** Shown at the right of every row, e.g. the access level `Write` or the key type `String`. */
  description: string;
  /** Markdown shown in the details pane. */
  documentation: string;
  /** Text to insert; a snippet when `snippet` is true. */
  insertText: string;
  snippet: boolean;
  /** Orders the list: lower sorts first. */
  sortText: string;
}

/** What the editor's model is, beyond the cursor context. */
export interface SuggestionOptions {
  /** True when the model's JSON Schema already suggests the statement elements and Effect values. */
  schemaCoversElements: boolean;
}

/** Escapes text for a snippet, where `$`, `}` and `\` are syntax. */
function snippetText(text: string): string {
  return text.replace(/[\\$}]/g, '\\$&');
}

/** A string value: bare inside an existing string, quoted outside one. */
function valueInsert(context: PolicyCursorContext, value: string): { insertText: string; snippet: boolean } {
  return { insertText: context.inString ? value : JSON.stringify(value), snippet: false };
}

/** A property name: bare inside an existing string; outside one, the whole `"name": value` with a tab stop. */
function propertyInsert(
  context: PolicyCursorContext,
  name: string,
  valueSnippet: string,
): { insertText: string; snippet: boolean } {
  if (context.inString) return { insertText: snippetText(name), snippet: true };
  return { insertText: `${snippetText(JSON.stringify(name))}: ${valueSnippet}`, snippet: true };
}

function pad(n: number): string {
  return String(n).padStart(4, '0');
}

function elementSuggestions(context: PolicyCursorContext): Suggestion[] {
  return STATEMENT_ELEMENTS.map((element, i) => ({
    kind: 'element',
    label: element.name,
    description: 'element',
    documentation: element.description,
    ...propertyInsert(
      context,
      element.name,
      element.name === 'Condition' ? '{$0}' : element.name === 'Action' ? '"$0"' : '$0',
    ),
    sortText: pad(i),
  }));
}

function effectSuggestions(context: PolicyCursorContext): Suggestion[] {
  return [
    { value: 'Allow', doc: 'The statement allows the request when it matches.' },
    {
      value: 'Deny',
      doc: 'The statement denies the request when it matches; an explicit Deny overrides every Allow.',
    },
  ].map(({ value, doc }, i) => ({
    kind: 'effect',
    label: value,
    description: 'Effect',
    documentation: doc,
    ...valueInsert(context, value),
    sortText: pad(i),
  }));
}

/**
 * Action wildcards worth offering: `kms:*` and `kms:<Verb>*` for each leading verb that covers two or more
 * actions (Describe*, Generate*, List*…), plus the two AWS examples use most (ReEncrypt*, GenerateDataKey*).
 */
export function actionWildcards(): { pattern: string; covers: string[] }[] {
  const prefixes = new Set<string>(['ReEncrypt', 'GenerateDataKey']);
  for (const action of KMS_ACTIONS) {
    const verb = /^[A-Z][a-z]+/.exec(action.name)?.[0];
    if (verb && verb.length >= 3) prefixes.add(verb);
  }
  const wildcards = [{ pattern: 'kms:*', covers: KMS_ACTIONS.map((a) => a.fullName) }];
  for (const prefix of [...prefixes].sort()) {
    const covers = kmsActionsMatching(`kms:${prefix}*`).map((a) => a.fullName);
    if (covers.length >= 2) wildcards.push({ pattern: `kms:${prefix}*`, covers });
  }
  return wildcards;
}

function actionSuggestions(context: PolicyCursorContext): Suggestion[] {
  const actions: Suggestion[] = KMS_ACTIONS.map((action) => ({
    kind: 'action',
    label: action.fullName,
    description: action.accessLevel,
    documentation: describeAction(action.name) ?? action.description,
    ...valueInsert(context, action.fullName),
    sortText: `1-${action.name}`,
  }));
  const wildcards: Suggestion[] = actionWildcards().map(({ pattern, covers }) => ({
    kind: 'wildcard',
    label: pattern,
    description: `${covers.length} actions`,
    documentation:
      (pattern === 'kms:*'
        ? 'Every KMS action, including key administration (PutKeyPolicy, ScheduleKeyDeletion). Grant it sparingly.'
        : `Matches ${covers.length} actions:`) +
      (pattern === 'kms:*' ? '' : '\n\n' + covers.map((c) => '`' + c + '`').join(', ')),
    ...valueInsert(context, pattern),
    sortText: `2-${pattern}`,
  }));
  return [...actions, ...wildcards];
}

/** Markdown for an operator, as written (with its set prefix and IfExists suffix), or undefined when unknown. */
export function describeOperator(written: string): string | undefined {
  const parsed = parseConditionOperator(written);
  if (!isParsedOperator(parsed)) return undefined;
  return operatorDocumentation(parsed);
}

function operatorDocumentation(parsed: ParsedConditionOperator): string {
  const lines = [`**${parsed.raw}** — ${parsed.base.family} operator`, '', parsed.base.description];
  if (parsed.ifExists) {
    // IAM-OPS (kms-authorization §7.2): IfExists makes an absent key count as a match.
    lines.push('', 'IfExists: true when the key is absent from the request; otherwise compared as usual.');
  }
  if (parsed.set === 'ForAllValues') {
    // IAM-MULTI (§7.2): ForAllValues is also true for a missing key or an empty set.
    lines.push(
      '',
      'ForAllValues: every value in the request must match. Also true when the key is missing or empty.',
    );
  } else if (parsed.set === 'ForAnyValue') {
    lines.push(
      '',
      'ForAnyValue: at least one value in the request must match. False when the key is missing.',
    );
  }
  if (parsed.base.wildcards) lines.push('', 'Values may use `*` and `?` wildcards.');
  lines.push('', `[IAM condition operators](${CONDITION_OPERATORS_PAGE})`);
  return lines.join('\n');
}

/** Every spelling worth offering for one base operator, most common first. */
function operatorVariants(
  base: ConditionOperatorInfo,
): { name: string; parsed: ParsedConditionOperator; rank: number }[] {
  const variants: { name: string; parsed: ParsedConditionOperator; rank: number }[] = [];
  const add = (set: ParsedConditionOperator['set'], ifExists: boolean, rank: number) => {
    const name = `${set ? set + ':' : ''}${base.name}${ifExists ? 'IfExists' : ''}`;
    variants.push({ name, parsed: { raw: name, set, base, ifExists }, rank });
  };
  add(null, false, 1);
  if (base.ifExists) add(null, true, 2);
  // Set prefixes compare multi-valued keys; with Null they make no sense (Null tests presence, not values).
  if (base.family !== 'Null') {
    add('ForAnyValue', false, 3);
    add('ForAllValues', false, 4);
    if (base.ifExists) {
      add('ForAnyValue', true, 5);
      add('ForAllValues', true, 5);
    }
  }
  return variants;
}

function operatorSuggestions(context: PolicyCursorContext): Suggestion[] {
  return CONDITION_OPERATORS.flatMap((base, baseIndex) =>
    operatorVariants(base).map(({ name, parsed, rank }) => ({
      kind: 'operator' as const,
      label: name,
      description: base.family,
      documentation: operatorDocumentation(parsed),
      ...propertyInsert(context, name, '{$0}'),
      sortText: `${rank}-${pad(baseIndex)}`,
    })),
  );
}

/** A pattern key such as `kms:EncryptionContext:${EncryptionContextKey}` becomes a snippet with a placeholder. */
function conditionKeyInsertName(key: ConditionKeyInfo): { text: string; label: string } {
  const placeholder = /\$\{([^}]+)\}/.exec(key.name);
  if (!placeholder) return { text: snippetText(key.name), label: key.name };
  const before = key.name.slice(0, placeholder.index);
  const after = key.name.slice(placeholder.index + placeholder[0].length);
  return {
    text: `${snippetText(before)}\${1:${placeholder[1]}}${snippetText(after)}`,
    label: `${before}<${placeholder[1]}>${after}`,
  };
}

/** Keys first that the operator can compare (type) and that fit its set prefix (multi-valued or not). */
function conditionKeyRank(key: ConditionKeyInfo, operator: ParsedConditionOperator | null): number {
  if (!operator) return key.global ? 2 : 1;
  let rank = key.global ? 2 : 1;
  const typeFits =
    operator.base.family === 'Null' || baseTypesOf(key).some((t) => operator.base.keyTypes.includes(t));
  if (!typeFits) rank += 4;
  if (key.multiValued !== (operator.set !== null) && operator.base.family !== 'Null') rank += 2;
  return rank;
}

function conditionKeySuggestions(context: PolicyCursorContext, operatorName: string): Suggestion[] {
  // With NotAction, or no Action yet, any key may apply: offer them all.
  const keys =
    context.actions.length && !context.notAction ? conditionKeysForActions(context.actions) : CONDITION_KEYS;
  const parsed = parseConditionOperator(operatorName);
  const operator = isParsedOperator(parsed) ? parsed : null;
  return keys.map((key) => {
    const { text, label } = conditionKeyInsertName(key);
    const value = key.multiValued ? '["$0"]' : '"$0"';
    return {
      kind: 'condition-key' as const,
      label,
      description: key.type,
      documentation: describeConditionKey(key.name) ?? key.description,
      insertText: context.inString ? text : `"${text}": ${value}`,
      snippet: true,
      sortText: `${conditionKeyRank(key, operator)}-${key.name.toLowerCase()}`,
    };
  });
}

function conditionValueSuggestions(
  context: PolicyCursorContext,
  operatorName: string,
  keyName: string,
): Suggestion[] {
  const parsed = parseConditionOperator(operatorName);
  const key = conditionKey(keyName);
  const booleanValues =
    (isParsedOperator(parsed) && parsed.base.family === 'Null') || (key && baseTypesOf(key).includes('Bool'));
  if (!booleanValues) return [];
  const isNull = isParsedOperator(parsed) && parsed.base.family === 'Null';
  return ['true', 'false'].map((value, i) => ({
    kind: 'value' as const,
    label: value,
    description: isNull ? 'Null' : 'Bool',
    documentation: isNull
      ? value === 'true'
        ? 'True when the key is absent from the request.'
        : 'True when the key is present in the request.'
      : `The key is ${value}.`,
    ...valueInsert(context, value),
    sortText: pad(i),
  }));
}

/** The suggestions for the cursor context: elements, Effect values, actions, operators, keys or values. */
export function suggestionsFor(context: PolicyCursorContext, options: SuggestionOptions): Suggestion[] {
  const slot = context.slot;
  switch (slot.kind) {
    case 'statement-key':
      return options.schemaCoversElements ? [] : elementSuggestions(context);
    case 'effect-value':
      return options.schemaCoversElements ? [] : effectSuggestions(context);
    case 'action-value':
      return actionSuggestions(context);
    case 'condition-operator':
      return operatorSuggestions(context);
    case 'condition-key':
      return conditionKeySuggestions(context, slot.operator);
    case 'condition-value':
      return conditionValueSuggestions(context, slot.operator, slot.key);
    case 'other':
      return [];
  }
}

/** Hover markdown for an action, a condition operator or a condition key, or undefined when it is unknown. */
export function hoverMarkdown(
  kind: 'action' | 'condition-operator' | 'condition-key',
  value: string,
): string | undefined {
  switch (kind) {
    case 'action': {
      if (value.includes('*') || value.includes('?')) {
        const covers = kmsActionsMatching(value);
        if (!covers.length) return undefined;
        const names = covers.map((a) => '`' + a.fullName + '`').join(', ');
        return `**${value}** — matches ${covers.length} KMS action${covers.length === 1 ? '' : 's'}\n\n${names}`;
      }
      return describeAction(value);
    }
    case 'condition-operator':
      return describeOperator(value);
    case 'condition-key':
      return describeConditionKey(value);
  }
}
