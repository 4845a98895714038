/**
 * Every IAM condition operator (IAM-OPS: reference_policies_elements_condition_operators.html), with its
 * family, whether it is negated, which condition-key types it compares, and a one-line description.
 * Set prefixes (ForAllValues:/ForAnyValue:) and the IfExists suffix combine with these base operators
 * (IAM-MULTI); `parseConditionOperator` splits an operator as written into those parts.
 */
import { memoizeByString } from './memo';
import type { ConditionKeyBaseType } from './types';

export const CONDITION_OPERATORS_PAGE =
  'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html';

export type OperatorFamily = 'String' | 'Numeric' | 'Date' | 'Bool' | 'Binary' | 'IpAddress' | 'Arn' | 'Null';

export interface ConditionOperatorInfo {
  name: string;
  family: OperatorFamily;
  /** Negated operators are true when the key is absent, and combine several values as NOR (kms-authorization §7.1, §7.2). */
  negated: boolean;
  /** The condition-key base types this operator compares meaningfully (`ArrayOf…` keys use their element type). */
  keyTypes: ConditionKeyBaseType[];
  /** `*` and `?` in values are wildcards. */
  wildcards: boolean;
  /** Policy variables `${…}` are substituted in values (IAM-VAR: String, ARN and Bool only). */
  policyVariables: boolean;
  /** `…IfExists` may be appended (every operator except Null). */
  ifExists: boolean;
  description: string;
}

// IAM-OPS: String operators also work on ARN-typed keys (CA examples use StringLike with aws:PrincipalArn).
const STRING_KEYS: ConditionKeyBaseType[] = ['String', 'ARN'];
const ALL_KEYS: ConditionKeyBaseType[] = ['String', 'ARN', 'Bool', 'Numeric', 'Date', 'IPAddress', 'Binary'];

function op(
  name: string,
  family: OperatorFamily,
  negated: boolean,
  keyTypes: ConditionKeyBaseType[],
  description: string,
  options: { wildcards?: boolean; policyVariables?: boolean; ifExists?: boolean } = {},
): ConditionOperatorInfo {
  return {
    name,
    family,
    negated,
    keyTypes,
    wildcards: options.wildcards ?? false,
    policyVariables: options.policyVariables ?? false,
    ifExists: options.ifExists ?? true,
    description,
  };
}

const str = { policyVariables: true };
const strLike = { policyVariables: true, wildcards: true };

export const CONDITION_OPERATORS: ConditionOperatorInfo[] = [
  op(
    'StringEquals',
    'String',
    false,
    STRING_KEYS,
    'The key equals one of the values exactly (case-sensitive).',
    str,
  ),
  op(
    'StringNotEquals',
    'String',
    true,
    STRING_KEYS,
    'The key equals none of the values (case-sensitive); true when the key is absent.',
    str,
  ),
  op(
    'StringEqualsIgnoreCase',
    'String',
    false,
    STRING_KEYS,
    'The key equals one of the values, ignoring case.',
    str,
  ),
  op(
    'StringNotEqualsIgnoreCase',
    'String',
    true,
    STRING_KEYS,
    'The key equals none of the values, ignoring case; true when the key is absent.',
    str,
  ),
  op(
    'StringLike',
    'String',
    false,
    STRING_KEYS,
    'The key matches one of the patterns (* any run of characters, ? one character; case-sensitive).',
    strLike,
  ),
  op(
    'StringNotLike',
    'String',
    true,
    STRING_KEYS,
    'The key matches none of the patterns; true when the key is absent.',
    strLike,
  ),
  op('NumericEquals', 'Numeric', false, ['Numeric'], 'The number equals one of the values.'),
  op(
    'NumericNotEquals',
    'Numeric',
    true,
    ['Numeric'],
    'The number equals none of the values; true when the key is absent.',
  ),
  op('NumericLessThan', 'Numeric', false, ['Numeric'], 'The number is less than the value.'),
  op(
    'NumericLessThanEquals',
    'Numeric',
    false,
    ['Numeric'],
    'The number is less than or equal to the value.',
  ),
  op('NumericGreaterThan', 'Numeric', false, ['Numeric'], 'The number is greater than the value.'),
  op(
    'NumericGreaterThanEquals',
    'Numeric',
    false,
    ['Numeric'],
    'The number is greater than or equal to the value.',
  ),
  op('DateEquals', 'Date', false, ['Date'], 'The date equals the value (ISO 8601 or epoch seconds).'),
  op(
    'DateNotEquals',
    'Date',
    true,
    ['Date'],
    'The date differs from every value; true when the key is absent.',
  ),
  op('DateLessThan', 'Date', false, ['Date'], 'The date is before the value.'),
  op('DateLessThanEquals', 'Date', false, ['Date'], 'The date is before or at the value.'),
  op('DateGreaterThan', 'Date', false, ['Date'], 'The date is after the value.'),
  op('DateGreaterThanEquals', 'Date', false, ['Date'], 'The date is at or after the value.'),
  op('Bool', 'Bool', false, ['Bool'], 'The key is "true" or "false" as given.', { policyVariables: true }),
  op('BinaryEquals', 'Binary', false, ['Binary'], "The key's bytes equal the base64-encoded value."),
  op(
    'IpAddress',
    'IpAddress',
    false,
    ['IPAddress'],
    'The address is in one of the CIDR ranges (IPv4 or IPv6).',
  ),
  op(
    'NotIpAddress',
    'IpAddress',
    true,
    ['IPAddress'],
    'The address is in none of the CIDR ranges; true when the key is absent.',
  ),
  op(
    'ArnEquals',
    'Arn',
    false,
    ['ARN'],
    'The ARN matches one of the values segment by segment (* and ? stay inside a segment).',
    strLike,
  ),
  op(
    'ArnLike',
    'Arn',
    false,
    ['ARN'],
    'Same as ArnEquals: the ARN matches one of the patterns segment by segment.',
    strLike,
  ),
  op(
    'ArnNotEquals',
    'Arn',
    true,
    ['ARN'],
    'The ARN matches none of the values; true when the key is absent.',
    strLike,
  ),
  op(
    'ArnNotLike',
    'Arn',
    true,
    ['ARN'],
    'The ARN matches none of the patterns; true when the key is absent.',
    strLike,
  ),
  op(
    'Null',
    'Null',
    false,
    ALL_KEYS,
    '"true": the key is absent from the request; "false": the key is present.',
    { ifExists: false },
  ),
];

const OPERATORS_BY_LOWER_NAME = new Map(CONDITION_OPERATORS.map((o) => [o.name.toLowerCase(), o]));

export type SetOperator = 'ForAllValues' | 'ForAnyValue';

export interface ParsedConditionOperator {
  /** The operator as written. */
  raw: string;
  set: SetOperator | null;
  base: ConditionOperatorInfo;
  ifExists: boolean;
}

export type ConditionOperatorProblem =
  | { kind: 'unknown'; raw: string }
  | { kind: 'if-exists-on-null'; raw: string } // IAM-OPS: "...IfExists" is not allowed with Null
  | { kind: 'unknown-set-prefix'; raw: string; prefix: string };

/**
 * Splits `ForAnyValue:StringLikeIfExists` into its parts. Operator names are matched case-insensitively:
 * [unknown] IAM-OPS shows them only in their canonical case, and the IAM Condition element page documents
 * case rules for key names (insensitive) and values (per operator) but not for operator names; the lab
 * accepts any case, as iam-data-based tools do, and the linter suggests the canonical spelling.
 */
export const parseConditionOperator: (raw: string) => ParsedConditionOperator | ConditionOperatorProblem =
  // Policies repeat the same few operators: each spelling is split once (results are shared, read-only).
  memoizeByString(splitConditionOperator);

function splitConditionOperator(raw: string): ParsedConditionOperator | ConditionOperatorProblem {
  let rest = raw;
  let set: SetOperator | null = null;
  const colon = rest.indexOf(':');
  if (colon >= 0) {
    const prefix = rest.slice(0, colon);
    const lower = prefix.toLowerCase();
    if (lower === 'forallvalues') set = 'ForAllValues';
    else if (lower === 'foranyvalue') set = 'ForAnyValue';
    else return { kind: 'unknown-set-prefix', raw, prefix };
    rest = rest.slice(colon + 1);
  }
  const exact = OPERATORS_BY_LOWER_NAME.get(rest.toLowerCase());
  if (exact) return { raw, set, base: exact, ifExists: false };
  if (rest.toLowerCase().endsWith('ifexists')) {
    const base = OPERATORS_BY_LOWER_NAME.get(rest.slice(0, -'IfExists'.length).toLowerCase());
    if (base && !base.ifExists) return { kind: 'if-exists-on-null', raw };
    if (base) return { raw, set, base, ifExists: true };
  }
  return { kind: 'unknown', raw };
}

export function isParsedOperator(
  result: ParsedConditionOperator | ConditionOperatorProblem,
): result is ParsedConditionOperator {
  return 'base' in result;
}

/** The operator as AWS spells it, e.g. `ForAnyValue:StringLikeIfExists`. */
export function canonicalOperatorName(parsed: ParsedConditionOperator): string {
  let name = canonicalNames.get(parsed);
  if (name === undefined) {
    name = `${parsed.set ? parsed.set + ':' : ''}${parsed.base.name}${parsed.ifExists ? 'IfExists' : ''}`;
    canonicalNames.set(parsed, name);
  }
  return name;
}
const canonicalNames = new WeakMap<ParsedConditionOperator, string>();
