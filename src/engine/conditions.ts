/**
 * Condition operators (kms-authorization.md §7, IAM-OPS, IAM-MULTI, IAM-VAR): parsing an operator name,
 * compiling its values once, and evaluating one operator+key against a request context.
 */
import type { ConditionMatch, SourceRange } from './types';
import type { LocatedValue, TemplatePart } from './parse';
import { templateLiteral } from './parse';
import { compileArnPattern, compileCidr, compileGlob, parseIp, type PatternPiece } from './match';
import { compareIamNumbers, parseIamDate, parseIamNumber, unreadableValueProblem } from './condition-values';

export type OperatorFamily = 'String' | 'Numeric' | 'Date' | 'Bool' | 'Binary' | 'IpAddress' | 'Arn' | 'Null';
type Comparison = 'equals' | 'equalsIgnoreCase' | 'like' | 'lt' | 'lte' | 'gt' | 'gte';

export interface OperatorInfo {
  /** Canonical base operator, e.g. `StringNotEquals` (without set prefix and IfExists). */
  base: string;
  family: OperatorFamily;
  comparison: Comparison;
  negated: boolean;
  ifExists: boolean;
  setOperator: 'ForAllValues' | 'ForAnyValue' | null;
}

const BASE_OPERATORS: Record<string, [OperatorFamily, Comparison, boolean]> = {
  StringEquals: ['String', 'equals', false],
  StringNotEquals: ['String', 'equals', true],
  StringEqualsIgnoreCase: ['String', 'equalsIgnoreCase', false],
  StringNotEqualsIgnoreCase: ['String', 'equalsIgnoreCase', true],
  StringLike: ['String', 'like', false],
  StringNotLike: ['String', 'like', true],
  NumericEquals: ['Numeric', 'equals', false],
  NumericNotEquals: ['Numeric', 'equals', true],
  NumericLessThan: ['Numeric', 'lt', false],
  NumericLessThanEquals: ['Numeric', 'lte', false],
  NumericGreaterThan: ['Numeric', 'gt', false],
  NumericGreaterThanEquals: ['Numeric', 'gte', false],
  DateEquals: ['Date', 'equals', false],
  DateNotEquals: ['Date', 'equals', true],
  DateLessThan: ['Date', 'lt', false],
  DateLessThanEquals: ['Date', 'lte', false],
  DateGreaterThan: ['Date', 'gt', false],
  DateGreaterThanEquals: ['Date', 'gte', false],
  Bool: ['Bool', 'equals', false],
  BinaryEquals: ['Binary', 'equals', false],
  IpAddress: ['IpAddress', 'equals', false],
  NotIpAddress: ['IpAddress', 'equals', true],
  ArnEquals: ['Arn', 'like', false], // IAM-OPS: ArnEquals and ArnLike behave the same
  ArnLike: ['Arn', 'like', false],
  ArnNotEquals: ['Arn', 'like', true],
  ArnNotLike: ['Arn', 'like', true],
  Null: ['Null', 'equals', false],
};
const BASE_BY_LOWER = new Map(Object.keys(BASE_OPERATORS).map((name) => [name.toLowerCase(), name]));

/** Every base operator name AWS defines (IAM-OPS), for the linter and the editor's completion. */
export const CONDITION_OPERATORS: readonly string[] = Object.keys(BASE_OPERATORS);

/**
 * Parses an operator such as `ForAnyValue:StringNotLikeIfExists`. Undefined for an unknown operator, which
 * never matches (§7.4: unlike moto, an unknown operator is not a match).
 * [inferred] Operator names are compared case-insensitively; the linter flags non-canonical spelling.
 */
export function parseConditionOperator(written: string): OperatorInfo | undefined {
  let rest = written;
  let setOperator: OperatorInfo['setOperator'] = null;
  const colon = rest.indexOf(':');
  if (colon >= 0) {
    const prefix = rest.slice(0, colon).toLowerCase();
    if (prefix === 'forallvalues') setOperator = 'ForAllValues';
    else if (prefix === 'foranyvalue') setOperator = 'ForAnyValue';
    else return undefined;
    rest = rest.slice(colon + 1);
  }
  let ifExists = false;
  if (rest.toLowerCase().endsWith('ifexists')) {
    ifExists = true;
    rest = rest.slice(0, -'IfExists'.length);
  }
  const base = BASE_BY_LOWER.get(rest.toLowerCase());
  if (!base) return undefined;
  const [family, comparison, negated] = BASE_OPERATORS[base];
  if (family === 'Null' && ifExists) return undefined; // IAM-OPS: "...IfExists" cannot be added to Null
  return { base, family, comparison, negated, ifExists, setOperator };
}

// ---------------------------------------------------------------- compiling values

/** A positive comparison of one request value with one policy value (negation is applied by the caller). */
type ValueMatcher = (requestValue: string) => boolean;
const NEVER: ValueMatcher = () => false;

/** Whether `order` (negative, 0 or positive: request value against policy value) satisfies the comparison. */
function ordered(comparison: Comparison, order: number): boolean {
  switch (comparison) {
    case 'lt':
      return order < 0;
    case 'lte':
      return order <= 0;
    case 'gt':
      return order > 0;
    case 'gte':
      return order >= 0;
    default:
      return order === 0;
  }
}

function decodeBase64(text: string): string | undefined {
  try {
    return atob(text.replace(/\s+/g, ''));
  } catch {
    return undefined;
  }
}

/** Compiles one policy value (given as pattern pieces so escaped or substituted text stays literal). */
function compileValue(info: OperatorInfo, pieces: PatternPiece[]): ValueMatcher {
  const text = pieces.length === 1 ? pieces[0].text : pieces.map((p) => p.text).join('');
  switch (info.family) {
    case 'String':
      if (info.comparison === 'like') return compileGlob(pieces);
      if (info.comparison === 'equalsIgnoreCase') {
        const lower = text.toLowerCase();
        return (v) => v.toLowerCase() === lower;
      }
      return (v) => v === text;
    case 'Arn':
      return compileArnPattern(pieces);
    case 'Numeric': {
      // A value that cannot be read never matches (and makes the whole condition false: testCondition).
      const n = parseIamNumber(text);
      if (!n) return NEVER;
      return (v) => {
        const value = parseIamNumber(v);
        return value !== undefined && ordered(info.comparison, compareIamNumbers(value, n));
      };
    }
    case 'Date': {
      const d = parseIamDate(text);
      if (d === undefined) return NEVER;
      return (v) => {
        const value = parseIamDate(v);
        return value !== undefined && ordered(info.comparison, value - d);
      };
    }
    case 'Bool': {
      const lower = text.toLowerCase();
      return (v) => v.toLowerCase() === lower;
    }
    case 'Binary': {
      const bytes = decodeBase64(text);
      return (v) => (bytes !== undefined ? decodeBase64(v) === bytes : v === text);
    }
    case 'IpAddress': {
      const cidr = compileCidr(text);
      if (!cidr) return NEVER;
      return (v) => {
        const ip = parseIp(v);
        return ip !== undefined && cidr(ip);
      };
    }
    case 'Null':
      return NEVER;
  }
}

/** IAM-VAR: variables are allowed in String, Arn and Bool values only; elsewhere `${...}` stays literal text. */
function familyAllowsVariables(family: OperatorFamily): boolean {
  return family === 'String' || family === 'Arn' || family === 'Bool';
}

// ---------------------------------------------------------------- policy variables

/** Case-insensitive view of the request context: lower-cased key → values. */
export interface ContextLookup {
  get(lowerKey: string): string[] | undefined;
}

/**
 * Substitutes policy variables (IAM-VAR). Substituted text is literal (never a wildcard). Returns null when a
 * variable has no value and no default: the value "is effectively null" and the statement does not apply.
 * Only single-valued keys can be variables, so a multi-valued key is unresolvable too.
 */
export function resolveTemplate(template: TemplatePart[], context: ContextLookup): PatternPiece[] | null {
  const pieces: PatternPiece[] = [];
  for (const part of template) {
    if (part.kind === 'text') {
      const { literal, text } = templateLiteral(part);
      pieces.push({ text, literal });
      continue;
    }
    const values = context.get(part.name.toLowerCase());
    if (values && values.length === 1) pieces.push({ text: values[0], literal: true });
    else if (part.defaultValue !== undefined) pieces.push({ text: part.defaultValue, literal: true });
    else return null;
  }
  return pieces;
}

// ---------------------------------------------------------------- one compiled condition

export interface CompiledCondition {
  operator: string;
  key: string;
  keyLower: string;
  info: OperatorInfo | undefined;
  range?: SourceRange;
  /** Values with no variables are compiled once; the others per request. */
  staticValues: string[];
  staticMatchers: ValueMatcher[];
  dynamicValues: { template: TemplatePart[]; raw: string }[];
  /** A Numeric or Date value that cannot be read, and why: the condition never matches (IAM-OPS). */
  unreadable?: { value: string; problem: string };
  /** `staticValues` quoted for the trace's reasons, on first need. */
  quotedStaticValues?: string;
  /** The last trace record, reused while the request's values are the same (shared) array; see `describeCondition`. */
  lastDescribed?: { requestValues: string[] | null; matched: boolean; record: ConditionMatch };
}

export function compileCondition(
  operator: string,
  key: LocatedValue,
  values: LocatedValue[],
  range?: SourceRange,
): CompiledCondition {
  const info = parseConditionOperator(operator);
  const compiled: CompiledCondition = {
    operator,
    key: key.value,
    keyLower: key.value.toLowerCase(),
    info,
    range,
    staticValues: [],
    staticMatchers: [],
    dynamicValues: [],
  };
  for (const v of values) {
    if (v.template && info && familyAllowsVariables(info.family)) {
      compiled.dynamicValues.push({ template: v.template, raw: v.value });
    } else {
      compiled.staticValues.push(v.value);
      compiled.staticMatchers.push(info ? compileValue(info, [{ text: v.value, literal: false }]) : NEVER);
      const problem = info && unreadableValueProblem(info.family, v.value);
      if (problem && !compiled.unreadable) compiled.unreadable = { value: v.value, problem };
    }
  }
  return compiled;
}

/** Why a condition came out as it did; set by `testCondition`, read by `describeCondition` for the trace. */
type ConditionWhy =
  | 'unknown-operator'
  | 'null'
  | 'unresolved'
  | 'all-absent'
  | 'all-pass'
  | 'all-fail'
  | 'any-absent'
  | 'any-absent-ifexists'
  | 'any-pass'
  | 'any-fail'
  | 'absent-ifexists'
  | 'absent-negated'
  | 'absent'
  | 'multi-valued'
  | 'unreadable-policy-value'
  | 'unreadable-request-value'
  | 'single';

/**
 * Scratch space for one condition test, reused across calls so the fast path allocates nothing.
 * Single-threaded: read it right after `testCondition`.
 */
export interface ConditionScratch {
  why: ConditionWhy;
  requestValues: string[] | null;
  policyValues: (string | null)[];
  /** The request value that decided (the failing one for ForAllValues, the passing one for ForAnyValue, the value otherwise). */
  value?: string;
}

export function newConditionScratch(): ConditionScratch {
  return { why: 'single', requestValues: null, policyValues: [] };
}

function anyMatches(matchers: ValueMatcher[], value: string): boolean {
  for (let i = 0; i < matchers.length; i++) if (matchers[i](value)) return true;
  return false;
}

/**
 * Evaluates one operator and key with all its values against the request (IAM-MULTI, IAM-OPS). Returns whether
 * it holds; `scratch` says why. `scratch.why === 'unresolved'` means a policy variable had no value: the whole
 * statement does not apply (IAM-VAR). `'multi-valued'` is the [unknown] case of §7.2.
 */
export function testCondition(
  condition: CompiledCondition,
  context: ContextLookup,
  scratch: ConditionScratch,
): boolean {
  const info = condition.info;
  const found = context.get(condition.keyLower);
  const requestValues = found !== undefined && found.length > 0 ? found : null;
  scratch.requestValues = requestValues;
  scratch.policyValues = condition.staticValues;
  scratch.value = undefined;
  if (!info) {
    scratch.why = 'unknown-operator';
    return false;
  }
  if (info.family === 'Null') {
    // IAM-OPS Null: "true" means the key is absent, "false" means it is present.
    scratch.why = 'null';
    const absent = requestValues === null;
    // AWS documents no meaning for a set operator on Null. The lab's choice (docs/engine.md): the set
    // operator's own rules first (IAM-MULTI: ForAllValues is true, ForAnyValue false, on a missing key),
    // then Null on each value, which is present. So ForAllValues:Null "false" always matches and
    // ForAnyValue:Null "true" never does; the linter says so (NULL_WITH_SET_OPERATOR).
    if (info.setOperator && absent) {
      scratch.why = info.setOperator === 'ForAllValues' ? 'all-absent' : 'any-absent';
      return info.setOperator === 'ForAllValues';
    }
    for (const v of condition.staticValues) if ((v.toLowerCase() === 'true') === absent) return true;
    return false;
  }
  if (condition.unreadable !== undefined) {
    // A value IAM cannot read as a number or a date: the condition does not match (lab choice, docs/engine.md).
    scratch.why = 'unreadable-policy-value';
    scratch.value = condition.unreadable.value;
    return false;
  }
  if (requestValues !== null && (info.family === 'Numeric' || info.family === 'Date')) {
    for (const v of requestValues) {
      if (unreadableValueProblem(info.family, v) !== undefined) {
        scratch.why = 'unreadable-request-value';
        scratch.value = v;
        return false;
      }
    }
  }
  let matchers = condition.staticMatchers;
  if (condition.dynamicValues.length > 0) {
    const policyValues: (string | null)[] = condition.staticValues.slice();
    matchers = condition.staticMatchers.slice();
    let unresolved = false;
    for (const dynamic of condition.dynamicValues) {
      const pieces = resolveTemplate(dynamic.template, context);
      if (!pieces) {
        policyValues.push(null);
        unresolved = true;
        continue;
      }
      policyValues.push(pieces.length === 1 ? pieces[0].text : pieces.map((p) => p.text).join(''));
      matchers.push(compileValue(info, pieces));
    }
    scratch.policyValues = policyValues;
    if (unresolved) {
      scratch.why = 'unresolved';
      return false;
    }
  }
  // IAM-MULTI [live]: negated operators combine several policy values as NOR: the value must match none.
  const negated = info.negated;
  if (info.setOperator === 'ForAllValues') {
    // IAM-MULTI: true when every request value passes; also true when the key is missing or empty.
    if (requestValues === null) {
      scratch.why = 'all-absent';
      return true;
    }
    for (const v of requestValues) {
      if (anyMatches(matchers, v) === negated) {
        scratch.why = 'all-fail';
        scratch.value = v;
        return false;
      }
    }
    scratch.why = 'all-pass';
    return true;
  }
  if (info.setOperator === 'ForAnyValue') {
    // IAM-MULTI: true when at least one request value passes; false when the key is missing or empty.
    if (requestValues === null) {
      scratch.why = info.ifExists ? 'any-absent-ifexists' : 'any-absent';
      return info.ifExists;
    }
    for (const v of requestValues) {
      if (anyMatches(matchers, v) !== negated) {
        scratch.why = 'any-pass';
        scratch.value = v;
        return true;
      }
    }
    scratch.why = 'any-fail';
    return false;
  }
  if (requestValues === null) {
    // IAM-OPS §7.2: IfExists and negated operators are true on an absent key; the others are false.
    scratch.why = info.ifExists ? 'absent-ifexists' : negated ? 'absent-negated' : 'absent';
    return info.ifExists || negated;
  }
  if (requestValues.length > 1) {
    // [unknown] §7.2: a multi-valued key under a plain operator. Lab choice (as iam-simulate): no match.
    scratch.why = 'multi-valued';
    return false;
  }
  scratch.why = 'single';
  scratch.value = requestValues[0];
  return anyMatches(matchers, requestValues[0]) !== negated;
}

function quoteList(values: readonly (string | null)[]): string {
  let out = '';
  for (let i = 0; i < values.length; i++)
    out += (i > 0 ? ', ' : '') + (values[i] === null ? 'null' : `"${values[i]}"`);
  return out;
}

/** The trace record of a condition just tested with `testCondition` (same scratch). */
export function describeCondition(
  condition: CompiledCondition,
  matched: boolean,
  scratch: ConditionScratch,
): ConditionMatch {
  // Without policy variables the record depends only on the request's values; derived values that do not change
  // (the caller's, the key's, constants) are shared arrays, so the same array means the same record (never mutated).
  const staticValues = scratch.policyValues === condition.staticValues;
  const last = condition.lastDescribed;
  if (
    staticValues &&
    last !== undefined &&
    last.requestValues === scratch.requestValues &&
    last.matched === matched
  )
    return last.record;
  const record = buildConditionMatch(condition, matched, scratch);
  if (staticValues) condition.lastDescribed = { requestValues: scratch.requestValues, matched, record };
  return record;
}

function buildConditionMatch(
  condition: CompiledCondition,
  matched: boolean,
  scratch: ConditionScratch,
): ConditionMatch {
  const { key, operator } = condition;
  const negated = condition.info?.negated ?? false;
  const values =
    scratch.policyValues === condition.staticValues
      ? (condition.quotedStaticValues ??= quoteList(condition.staticValues))
      : quoteList(scratch.policyValues);
  let reason: string;
  switch (scratch.why) {
    case 'unknown-operator':
      reason = `${operator} is not a condition operator, so the condition never matches`;
      break;
    case 'null':
      reason =
        scratch.requestValues === null
          ? `${key} is absent from the request`
          : `${key} is present in the request`;
      break;
    case 'unresolved':
      reason = `A policy variable in ${key} has no value in this request and no default, so the statement does not apply (IAM-VAR)`;
      break;
    case 'all-absent':
      reason = `${key} is absent; ForAllValues on a missing key is true`;
      break;
    case 'all-pass':
      reason = `Every value of ${key} ${negated ? 'matches none of' : 'matches one of'} ${values}`;
      break;
    case 'all-fail':
      reason = `"${scratch.value}" in ${key} ${negated ? 'matches one of' : 'matches none of'} ${values}`;
      break;
    case 'any-absent':
      reason = `${key} is absent; ForAnyValue on a missing key is false`;
      break;
    case 'any-absent-ifexists':
    case 'absent-ifexists':
      reason = `${key} is absent, so ${operator} is true`;
      break;
    case 'any-pass':
      reason = `"${scratch.value}" in ${key} ${negated ? 'matches none of' : 'matches'} ${values}`;
      break;
    case 'any-fail':
      reason = `No value of ${key} ${negated ? 'avoids' : 'matches'} ${values}`;
      break;
    case 'absent-negated':
      reason = `${key} is absent; a negated operator on an absent key is true`;
      break;
    case 'absent':
      reason = `${key} is absent; a non-negated operator on an absent key is false${condition.keyLower === 'aws:sourceip' ? ' (a call through a VPC endpoint has no aws:SourceIp, CA)' : ''}`;
      break;
    case 'unreadable-policy-value':
      reason = `The policy value "${scratch.value}" cannot be read by ${condition.info?.base}: ${condition.unreadable?.problem}. A condition with such a value does not match (IAM-OPS)`;
      break;
    case 'unreadable-request-value':
      reason = `${key} is "${scratch.value}", which ${condition.info?.base} cannot read (${unreadableValueProblem(condition.info!.family, scratch.value!)}), so the condition does not match (IAM-OPS)`;
      break;
    case 'multi-valued':
      reason = `${key} has several values but ${operator} has no ForAllValues/ForAnyValue; the lab treats this as no match (AWS does not document it)`;
      break;
    default:
      if (negated) {
        reason = matched
          ? `"${scratch.value}" matches none of ${values}`
          : `"${scratch.value}" matches one of ${values}, and ${condition.info?.base} needs it to match none`;
      } else {
        reason = matched
          ? `"${scratch.value}" matches ${values}`
          : `"${scratch.value}" does not match ${values}`;
      }
  }
  return {
    operator,
    key,
    policyValues: scratch.policyValues,
    requestValues: scratch.requestValues,
    matched,
    reason,
    range: condition.range,
  };
}

/** Keys whose request context can hold several values; they need a set operator (CK, IAM-MULTI). */
export const MULTI_VALUED_KEYS: ReadonlySet<string> = new Set([
  'kms:encryptioncontextkeys',
  'kms:grantoperations',
  'kms:resourcealiases',
  'aws:tagkeys',
  'aws:calledvia',
  'aws:principalorgpaths',
  'aws:principalservicenameslist',
]);
