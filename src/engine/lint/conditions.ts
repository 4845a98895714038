/**
 * Condition blocks: operators (IAM-OPS), keys (CK, CA), their types, set operators on single- and multi-valued
 * keys (IAM-MULTI), and the values each operator family accepts.
 */
import type { ConditionBlock, ConditionEntry, LocatedValue, ParsedStatement } from '../parse';
import {
  baseTypesOf,
  canonicalOperatorName,
  conditionKey,
  isParsedOperator,
  keyInfoSupportedByActions,
  parseConditionOperator,
  type ConditionKeyInfo,
  type ConditionOperatorInfo,
  type OperatorFamily,
  type ParsedConditionOperator,
} from '../data';
import { checkResourceArn } from './arn';
import { unreadableValueProblem } from '../condition-values';
import { statementActions, type StatementActions } from './actions';
import { nearestConditionKey, nearestOperator } from './condition-names';
import type { LintContext } from './context';

export function checkConditions(ctx: LintContext, statement: ParsedStatement): void {
  const condition = statement.condition;
  if (!condition) return;
  const actions = statementActions(ctx, statement);
  for (const block of condition.blocks) {
    const operator = checkOperator(ctx, block);
    for (const entry of block.entries) {
      const key = checkKey(ctx, entry, actions);
      if (operator && key) checkKeyAgainstOperator(ctx, entry, key, operator);
      if (operator?.set && operator.base.name === 'Null') checkNullWithSetOperator(ctx, entry, operator.set);
      if (operator) for (const value of entry.values) checkValue(ctx, value, operator);
    }
  }
}

/**
 * AWS documents no meaning for ForAllValues:/ForAnyValue: on Null; the engine applies the set operator's rules
 * and then Null (docs/engine.md), which makes some values constant. Say what the condition does.
 */
function checkNullWithSetOperator(
  ctx: LintContext,
  entry: ConditionEntry,
  set: 'ForAllValues' | 'ForAnyValue',
): void {
  const values = new Set(entry.values.map((v) => v.value.toLowerCase()));
  const constant =
    set === 'ForAllValues' && values.has('false')
      ? 'always matches (a missing key makes ForAllValues true, a present one is not null)'
      : set === 'ForAnyValue' && values.has('true') && !values.has('false')
        ? 'never matches (a missing key makes ForAnyValue false, a present one is not null)'
        : `means the same as Null with "${set === 'ForAllValues' ? 'true' : 'false'}"`;
  ctx.add(
    'NULL_WITH_SET_OPERATOR',
    `AWS does not document ${set}:Null. This lab reads it by the set operator's rules, so this condition ${constant}. Write Null without ${set}:.`,
    entry.key.path,
    entry.key.range,
  );
}

function checkOperator(ctx: LintContext, block: ConditionBlock): ParsedConditionOperator | undefined {
  const { operator } = block;
  const parsed = parseConditionOperator(operator.value);
  if (isParsedOperator(parsed)) {
    const canonical = canonicalOperatorName(parsed);
    if (canonical !== operator.value) {
      ctx.add(
        'OPERATOR_CASE',
        `Write the operator as AWS spells it: ${canonical}.`,
        operator.path,
        operator.range,
      );
    }
    return parsed;
  }
  if (parsed.kind === 'if-exists-on-null') {
    // IAM-OPS: Null already tests presence; ...IfExists cannot be added to it.
    ctx.add(
      'NULL_WITH_IF_EXISTS',
      'NullIfExists is not an operator: Null already tests whether the key is present.',
      operator.path,
      operator.range,
    );
  } else {
    // kms-authorization §7.4: an unknown operator is a validation error, never a match.
    const nearest = nearestOperator(operator.value);
    const hint =
      (parsed.kind === 'unknown-set-prefix'
        ? ` Set operators are ForAllValues: and ForAnyValue:, not ${parsed.prefix}:.`
        : '') + (nearest ? ` Did you mean ${nearest}?` : '');
    ctx.add(
      'INVALID_CONDITION_OPERATOR',
      `"${operator.value}" is not a condition operator.${hint}`,
      operator.path,
      operator.range,
    );
  }
  return undefined;
}

function checkKey(
  ctx: LintContext,
  entry: ConditionEntry,
  actions: StatementActions,
): ConditionKeyInfo | undefined {
  const { key } = entry;
  const name = key.value;
  const colon = name.indexOf(':');
  if (colon <= 0 || colon === name.length - 1 || /\s/.test(name)) {
    ctx.add(
      'INVALID_CONDITION_KEY_FORMAT',
      `"${name}" is not a condition key: write prefix:name, e.g. kms:CallerAccount.`,
      key.path,
      key.range,
    );
    return undefined;
  }
  const info = conditionKey(name);
  if (info) {
    checkKeySupported(ctx, entry, info, actions);
    return info;
  }
  const prefix = name.slice(0, colon).toLowerCase();
  if (prefix === 'aws') {
    const hint = nearestConditionKey(name);
    ctx.add(
      'INVALID_GLOBAL_CONDITION_KEY',
      `${name} is not an AWS global condition key.${hint ? ` Did you mean ${hint}?` : ''}`,
      key.path,
      key.range,
    );
    return undefined;
  }
  if (prefix === 'kms') {
    const hint = nearestConditionKey(name);
    ctx.add(
      'INVALID_SERVICE_CONDITION_KEY',
      `${name} is not a KMS condition key.${hint ? ` Did you mean ${hint}?` : ''}`,
      key.path,
      key.range,
    );
    return undefined;
  }
  // Another service's key: KMS requests never carry it (CK lists the kms: keys, CA the global ones).
  if (actions.kms.length > 0 && !actions.otherServices) {
    ctx.add(
      'CONDITION_KEY_NOT_SUPPORTED_BY_ACTIONS',
      `KMS requests never carry ${name}, so this condition can never be true for them.`,
      key.path,
      key.range,
    );
  }
  return undefined;
}

/**
 * A known key that none of the statement's KMS actions supports never matches (CK: the kms: keys, and
 * aws:RequestTag, aws:ResourceTag and aws:TagKeys, are listed per action; other global keys always apply, CA).
 */
function checkKeySupported(
  ctx: LintContext,
  entry: ConditionEntry,
  info: ConditionKeyInfo,
  actions: StatementActions,
): void {
  if (actions.kms.length === 0) return;
  // A global key in a statement that also covers other services may be meant for them. A kms: key is judged
  // on the statement's KMS actions (a known key has the prefix it was written with; only kms: keys are not global).
  if (actions.otherServices && info.global) return;
  if (!keyInfoSupportedByActions(info, actions.kms)) {
    const { key } = entry;
    const listed =
      actions.kms.length <= 3
        ? actions.kms.map((a) => `kms:${a.name}`).join(', ')
        : `the ${actions.kms.length} actions listed`;
    ctx.add(
      'CONDITION_KEY_NOT_SUPPORTED_BY_ACTIONS',
      `${key.value} is never present in requests for ${listed} (CK), so a condition that needs it never matches.`,
      key.path,
      key.range,
    );
  }
}

/** True when the operator compares values of the key's type (IAM-OPS; aws:EpochTime also takes numbers). */
function operatorFitsKey(base: ConditionOperatorInfo, key: ConditionKeyInfo): boolean {
  for (const type of baseTypesOf(key)) if (base.keyTypes.includes(type)) return true;
  return false;
}

const OVERLY_PERMISSIVE_IN_KEY_POLICY = /^(kms:EncryptionContext:|aws:RequestTag\/)/i;

function checkKeyAgainstOperator(
  ctx: LintContext,
  entry: ConditionEntry,
  key: ConditionKeyInfo,
  operator: ParsedConditionOperator,
): void {
  const { base, set } = operator;
  const at = entry.key;
  if (base.family !== 'Null' && !operatorFitsKey(base, key)) {
    ctx.add(
      'CONDITION_TYPE_MISMATCH',
      `${base.name} compares ${base.keyTypes.join(' or ')} values, but ${entry.key.value} is of type ${key.type}.`,
      at.path,
      at.range,
    );
  }
  if (set && !key.multiValued) {
    if (
      ctx.type === 'key' &&
      set === 'ForAllValues' &&
      OVERLY_PERMISSIVE_IN_KEY_POLICY.test(entry.key.value)
    ) {
      // CK / kms-authorization §7.2: KMS rejects such key policies with OverlyPermissiveCondition.
      ctx.add(
        'KMS_REJECTS_FORALLVALUES',
        `KMS rejects a key policy that uses ForAllValues with ${entry.key.value} (OverlyPermissiveCondition): the key is single-valued, and ForAllValues is also true when the request has no such key. Drop the set operator.`,
        at.path,
        at.range,
      );
    } else if (set === 'ForAllValues') {
      // IAM-MULTI: ForAllValues is true when the key is absent, so on a single-valued key it lets requests without it through.
      ctx.add(
        'FORALLVALUES_WITH_SINGLE_VALUED_KEY',
        `${entry.key.value} is single-valued: ForAllValues is also true when the request lacks the key, which is rarely intended. Use ${base.name} without ForAllValues.`,
        at.path,
        at.range,
      );
    } else {
      ctx.add(
        'FORANYVALUE_WITH_SINGLE_VALUED_KEY',
        `${entry.key.value} is single-valued: use ${base.name} without ForAnyValue.`,
        at.path,
        at.range,
      );
    }
  }
  if (!set && key.multiValued && base.family !== 'Null') {
    // IAM-MULTI: multi-valued keys need ForAnyValue or ForAllValues; kms-authorization §7.2 [unknown]: without
    // one, the lab (like iam-simulate) treats the condition as no match.
    ctx.add(
      'MULTI_VALUED_KEY_WITHOUT_SET_OPERATOR',
      `${entry.key.value} holds a set of values: write ForAnyValue:${base.name} (any value matches) or ForAllValues:${base.name} (every value matches).`,
      at.path,
      at.range,
    );
  }
}

function checkValue(ctx: LintContext, value: LocatedValue, operator: ParsedConditionOperator): void {
  const { base } = operator;
  if (value.template) {
    // IAM-VAR: variables work in String, ARN and Bool values only; elsewhere the value is compared literally.
    if (!base.policyVariables) {
      ctx.add(
        'INVALID_VARIABLE_FOR_OPERATOR',
        `Policy variables cannot be used with ${base.name}; the value is compared literally.`,
        value.path,
        value.range,
      );
    }
    return; // otherwise resolved at evaluation time
  }
  const text = value.value;
  if (base.family === 'Arn') {
    const problem = checkResourceArn(text);
    if (problem) ctx.add(problem.code, problem.message, value.path, value.range);
    return;
  }
  // Numbers and dates: the evaluator's own reader (condition-values.ts), so what passes here is what it compares.
  const unreadable = unreadableValueProblem(base.family, text);
  if (unreadable) {
    ctx.add(
      'CONDITION_VALUE_TYPE_MISMATCH',
      `${base.name} cannot read "${text}": ${unreadable}. A condition with a value IAM cannot read never matches.`,
      value.path,
      value.range,
    );
    return;
  }
  const expected = expectedValueForm(base.family, text);
  if (expected) {
    ctx.add(
      'CONDITION_VALUE_TYPE_MISMATCH',
      `${base.name} expects ${expected}, not "${text}".`,
      value.path,
      value.range,
    );
  }
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** What a value of this operator family must look like, when `text` does not (IAM-OPS); else undefined. */
function expectedValueForm(family: OperatorFamily, text: string): string | undefined {
  switch (family) {
    case 'Bool':
    case 'Null':
      return text === 'true' || text === 'false' ? undefined : '"true" or "false"';
    case 'Numeric':
    case 'Date':
      return undefined; // checkValue asks the evaluator's own reader
    case 'IpAddress':
      return isIpOrCidr(text) ? undefined : 'an IPv4 or IPv6 address or CIDR range (203.0.113.0/24)';
    case 'Binary':
      return BASE64.test(text) && text.length % 4 === 0 ? undefined : 'base64-encoded bytes';
    case 'String':
    case 'Arn':
      return undefined;
  }
}

function isIpOrCidr(text: string): boolean {
  const [address, prefix, ...rest] = text.split('/');
  if (rest.length) return false;
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(address);
  if (v4) {
    if (v4.slice(1).some((octet) => Number(octet) > 255)) return false;
    return prefix === undefined || (/^\d{1,2}$/.test(prefix) && Number(prefix) <= 32);
  }
  if (!/^[0-9a-fA-F:]+$/.test(address) || !address.includes(':')) return false;
  const groups = address.split('::');
  if (groups.length > 2) return false;
  const count = groups.flatMap((g) => (g ? g.split(':') : [])).length;
  if (groups.length === 1 ? count !== 8 : count > 7) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= 128);
}
