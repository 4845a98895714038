/**
 * Compiles a parsed policy once (wildcards, ARN patterns, principals, conditions) and matches its statements
 * against a request, producing the StatementMatch records of the trace (kms-authorization.md §7, §8).
 */
import type { ElementMatch, PolicyId, PolicyLayer, SourceRange, StatementMatch, StatementRef } from './types';
import type { LocatedValue, ParsedPolicy, ParsedStatement, TemplatePart } from './parse';
import { accountRootArn, classifyPrincipal, type PrincipalInfo } from './arn';
import { compileArnPattern, compileGlob, type StringMatcher } from './match';
import { lowerFirst } from './sentence';
import {
  compileCondition,
  describeCondition,
  newConditionScratch,
  resolveTemplate,
  testCondition,
  type CompiledCondition,
  type ContextLookup,
} from './conditions';

/** The caller as the matchers see it. */
export interface Caller {
  /** The principal as the request names it (a bare account id becomes its root ARN). */
  arn: string;
  info: PrincipalInfo;
  account: string;
  /** For a role or a role session: the role's name and ARN (with its path when the scenario knows it). */
  roleName?: string;
  roleArn?: string;
  /**
   * Every identity the caller stands for, for NotPrincipal (IAM-NP): a session is its session ARN, its role and its
   * account; a user is the user and its account; the root user is the account.
   */
  identities: string[];
  /**
   * How each Principal/NotPrincipal element matched this caller, built on first need. Kept on the caller, so it lives
   * and dies with the prepared scenario's bounded caller cache (world.ts `MAX_CALLERS`) instead of growing a map on
   * every statement with every caller.
   */
  principalMatches?: Map<CompiledPrincipal, PrincipalMatch>;
}

/**
 * How a statement's Principal matched the caller, strongest first (for Allow paths, kms-authorization.md §1.2, §1.3):
 * - `principal`: the exact user, session or federated-user ARN (or a service principal) is named;
 * - `wildcard`: `"*"` or `{"AWS":"*"}` (KPO: every identity in every account);
 * - `role`: the role ARN is named and the caller is the role or one of its sessions (limited by PB and SP);
 * - `account`: the caller's account principal is named (enables IAM policies, path B; never grants alone, DEF).
 */
export type PrincipalMatchKind = 'principal' | 'wildcard' | 'all-but-listed' | 'role' | 'account';
const KIND_STRENGTH: Record<PrincipalMatchKind, number> = {
  principal: 4,
  wildcard: 3,
  'all-but-listed': 3,
  role: 2,
  account: 1,
};

/** `"*"` or an Allow with NotPrincipal: the statement is about every principal, not this one by name. */
export function namesEveryone(kind: PrincipalMatchKind | undefined): boolean {
  return kind === 'wildcard' || kind === 'all-but-listed';
}

interface CompiledPrincipalValue {
  written: string;
  /**
   * `service`: a `"Service"` principal, which only that AWS service matches; `never`: a principal type no KMS
   * caller can be (`"Federated"` identity providers, `"CanonicalUser"`, or a type IAM does not know) (IAM-PR).
   */
  kind: 'wildcard' | 'account' | 'role' | 'exact' | 'service' | 'never';
  partition?: string;
  account?: string;
  roleName?: string;
  /** The value to compare for `exact` (a root ARN for accounts). */
  exact: string;
}

interface CompiledPrincipal {
  element: 'Principal' | 'NotPrincipal';
  /** The statement's effect: NotPrincipal means different things with Allow and with Deny (IAM-NP). */
  effect: 'Allow' | 'Deny';
  policyValues: string[];
  values: CompiledPrincipalValue[];
  range: SourceRange;
}

/** How a Principal or NotPrincipal element matched one caller; the trace record is built on first need. */
interface PrincipalMatch {
  index: number;
  kind: PrincipalMatchKind | undefined;
  described: ElementMatch | undefined;
}

interface CompiledValueList {
  element: 'Action' | 'NotAction' | 'Resource' | 'NotResource';
  policyValues: string[];
  matchers: StringMatcher[];
  /** Resource values with policy variables (IAM-VAR), resolved per request. */
  dynamic: { template: TemplatePart[]; index: number }[];
  range: SourceRange;
  /** Match results by request value (only for lists without variables, whose outcome the value alone decides). */
  matches: Map<string, ValueListMatch>;
  /** The value looked up last and its match: a resource (the key ARN) repeats from one request to the next. */
  lastValue: string | undefined;
  lastMatch: ValueListMatch | undefined;
  /** One value that matches faster than a lookup (`*`, `kms:*`, an exact action): without a trace, not remembered. */
  cheap: boolean;
}

/** How a value list matched one request value; the trace record is built on first need. */
interface ValueListMatch {
  index: number;
  described: ElementMatch | undefined;
  /** On an action's match: traced evaluations of the statement when its elements do not match (see `evaluateStatement`). */
  notApplying?: NotApplying[];
}

/** A statement whose Action, Resource or Principal does not match is decided by those matches alone. */
interface NotApplying {
  resource: ValueListMatch | undefined;
  principal: PrincipalMatch | undefined;
  evaluation: StatementEvaluation;
}

/** How many element combinations an action's match keeps (resources × callers seen with that action). */
const MAX_NOT_APPLYING = 8;

export interface CompiledStatement {
  ref: StatementRef;
  effect: 'Allow' | 'Deny' | undefined;
  /** Why the statement can never apply (missing Effect, Action, Resource or Principal), if so. */
  defect?: string;
  action?: CompiledValueList;
  resource?: CompiledValueList;
  principal?: CompiledPrincipal;
  conditions: CompiledCondition[];
}

export interface CompiledPolicy {
  id: PolicyId;
  layer: PolicyLayer;
  /** People's name of the policy, e.g. `key policy` or `identity policy "AppAccess"`. */
  label: string;
  parsed: ParsedPolicy;
  statements: CompiledStatement[];
  /**
   * For SCPs and RCPs: the level of the organization the policy is attached to (0 the root, then OUs, then the
   * account), with its name. Each level must allow (IAM-EVAL "SCPs"); several policies at one level share it.
   */
  orgLevel?: { depth: number; label: string };
}

/** Layers whose statements must name a Principal (KPO; RCPs and endpoint policies are resource-side too). */
const LAYERS_WITH_PRINCIPAL: ReadonlySet<PolicyLayer> = new Set(['key', 'rcp', 'endpoint']);

function compilePrincipalValue(type: string, written: string): CompiledPrincipalValue {
  // IAM-PR: the principal type says what kind of identity the value names; an IAM ARN under "Service",
  // "Federated" or "CanonicalUser" names nothing a KMS caller can be.
  if (type === 'Service') return { written, kind: 'service', exact: written };
  if (type !== 'AWS') return { written, kind: 'never', exact: written };
  if (written === '*') return { written, kind: 'wildcard', exact: '*' };
  const info = classifyPrincipal(written);
  const { partition, account } = info;
  if (info.kind === 'root')
    return { written, kind: 'account', partition, account, exact: accountRootArn(account, partition) };
  if (info.kind === 'role')
    return { written, kind: 'role', partition, account, roleName: info.roleName, exact: written };
  if (info.kind === 'service') return { written, kind: 'never', exact: written };
  return { written, kind: 'exact', exact: written };
}

function compileValueList(
  list: NonNullable<ParsedStatement['action' | 'resource']>,
  kind: 'action' | 'resource',
): CompiledValueList {
  const compiled: CompiledValueList = {
    element: list.element,
    policyValues: [],
    matchers: [],
    dynamic: [],
    range: list.range,
    matches: new Map(),
    lastValue: undefined,
    lastMatch: undefined,
    cheap: false,
  };
  list.values.forEach((v: LocatedValue) => {
    compiled.policyValues.push(v.value);
    if (kind === 'action') {
      // IAM-ACT: the service prefix and action name are case-insensitive; `*` and `?` are wildcards [live].
      compiled.matchers.push(compileGlob(v.value.toLowerCase()));
    } else if (v.template) {
      compiled.dynamic.push({ template: v.template, index: compiled.matchers.length });
      compiled.matchers.push(() => false);
    } else {
      // IAM-NR, BP: ARN segments compared one by one; case-sensitive [inferred].
      compiled.matchers.push(compileArnPattern(v.value));
    }
  });
  if (list.values.length === 1) {
    const only = list.values[0].value;
    const star = only.indexOf('*');
    // compileGlob's fast paths: equality, `*` and `prefix*`.
    compiled.cheap =
      only === '*' || (kind === 'action' && !only.includes('?') && (star < 0 || star === only.length - 1));
  }
  return compiled;
}

/** `key policy #1 "Sid"`: statements are numbered from 1 for people, as the linter and the editors do (`index` stays 0-based). */
function statementLabel(policyLabel: string, statement: ParsedStatement): string {
  return statement.sid
    ? `${policyLabel} #${statement.index + 1} "${statement.sid.value}"`
    : `${policyLabel} #${statement.index + 1}`;
}

/** Compiles every statement of a policy for one layer. */
export function compilePolicy(
  parsed: ParsedPolicy,
  id: PolicyId,
  layer: PolicyLayer,
  label: string,
): CompiledPolicy {
  const statements = parsed.statements.map((s): CompiledStatement => {
    const effectValue = s.effect?.value;
    const effect = effectValue === 'Allow' || effectValue === 'Deny' ? effectValue : undefined;
    const ref: StatementRef = {
      policyId: id,
      layer,
      index: s.index,
      sid: s.sid?.value,
      effect: effect ?? 'Allow',
      range: s.range,
      label: statementLabel(label, s),
    };
    const compiled: CompiledStatement = { ref, effect, conditions: [] };
    if (s.action) compiled.action = compileValueList(s.action, 'action');
    if (s.resource) compiled.resource = compileValueList(s.resource, 'resource');
    if (s.principal) {
      const values: CompiledPrincipalValue[] = [];
      const policyValues: string[] = [];
      if (s.principal.wildcard) {
        values.push({ written: '*', kind: 'wildcard', exact: '*' });
        policyValues.push('*');
      }
      for (const entry of s.principal.entries) {
        for (const v of entry.values) {
          values.push(compilePrincipalValue(entry.type, v.value));
          policyValues.push(entry.type === 'AWS' ? v.value : `${entry.type}: ${v.value}`);
        }
      }
      compiled.principal = {
        element: s.principal.element,
        effect: effect ?? 'Allow',
        policyValues,
        values,
        range: s.principal.range,
      };
    }
    for (const block of s.condition?.blocks ?? []) {
      for (const entry of block.entries) {
        compiled.conditions.push(
          compileCondition(block.operator.value, entry.key, entry.values, entry.range),
        );
      }
    }
    // A statement AWS would reject, or that KPO says has no effect, never applies.
    if (!effect)
      compiled.defect =
        effectValue === undefined
          ? 'it has no Effect'
          : `its Effect "${effectValue}" is neither Allow nor Deny`;
    else if (!compiled.action) compiled.defect = 'it has no Action or NotAction';
    else if (!compiled.resource) compiled.defect = 'it has no Resource element, so it has no effect (KPO)';
    else if (LAYERS_WITH_PRINCIPAL.has(layer) && !compiled.principal)
      compiled.defect = 'it has no Principal, which this policy type requires';
    return compiled;
  });
  return { id, layer, label, parsed, statements };
}

// ---------------------------------------------------------------- matching one statement

export interface StatementRequest {
  /** The IAM action as people read it, e.g. `kms:Decrypt`, and lower-cased for matching. */
  action: string;
  actionLower: string;
  /** The resource the statement is checked against: a key ARN, an alias ARN, or `*` (no resource). */
  resource: string;
  caller: Caller;
  context: ContextLookup;
  /** Build the StatementMatch trace records (the access matrix does not need them). */
  trace: boolean;
}

export interface StatementEvaluation {
  ref: StatementRef;
  statement: CompiledStatement;
  applies: boolean;
  /** Action and Principal matched (the statement is "about" this caller and action), whether or not it applies. */
  namesCaller: boolean;
  /** How the Principal matched (undefined when the statement has no Principal or it did not match). */
  principalKind?: PrincipalMatchKind;
  multiValuedWithoutSetOperator: boolean;
  /** The trace record, when the request asked for one. */
  match?: StatementMatch;
}

function matchPrincipalValue(value: CompiledPrincipalValue, caller: Caller): PrincipalMatchKind | undefined {
  switch (value.kind) {
    case 'wildcard':
      return 'wildcard';
    case 'account':
      // An ARN names an identity in one partition (IAM identifiers, "ARN format"): arn:aws-cn:…:root is not
      // the account of an arn:aws: caller.
      return caller.account === value.account &&
        caller.info.partition === value.partition &&
        caller.info.kind !== 'service'
        ? 'account'
        : undefined;
    case 'role':
      // IAM-PR: a role ARN covers the role's sessions (role names are unique in an account whatever the path).
      return caller.roleName === value.roleName &&
        caller.account === value.account &&
        caller.info.partition === value.partition
        ? 'role'
        : undefined;
    case 'exact':
      return caller.arn === value.exact && caller.info.kind !== 'service' ? 'principal' : undefined;
    case 'service':
      return caller.info.kind === 'service' && caller.arn === value.exact ? 'principal' : undefined;
    case 'never':
      return undefined;
  }
}

/** Index of the strongest matching Principal value, or -1. For NotPrincipal: index of an unlisted identity, or -1. */
function principalMatchIndex(principal: CompiledPrincipal, caller: Caller): number {
  if (principal.element === 'NotPrincipal') {
    for (const value of principal.values) if (value.kind === 'wildcard') return -1;
    if (principal.effect === 'Allow') {
      // IAM-NP: with Allow, NotPrincipal "applies to every principal except those listed": a caller any of
      // whose identities (its own ARN, its role, its account) is listed is left out [inferred for role and account].
      for (const identity of caller.identities)
        for (const value of principal.values) if (value.exact === identity) return -1;
      return 0;
    }
    // IAM-NP [inferred from its examples]: a Deny applies unless every identity the caller stands for is
    // listed (a session needs its session ARN, its role ARN and its account), hence "Deny + NotPrincipal" must list the account.
    for (let i = 0; i < caller.identities.length; i++) {
      let listed = false;
      for (const value of principal.values) if (value.exact === caller.identities[i]) listed = true;
      if (!listed) return i;
    }
    return -1;
  }
  let best = -1;
  let bestStrength = 0;
  for (let i = 0; i < principal.values.length; i++) {
    const kind = matchPrincipalValue(principal.values[i], caller);
    if (kind && KIND_STRENGTH[kind] > bestStrength) {
      best = i;
      bestStrength = KIND_STRENGTH[kind];
    }
  }
  return best;
}

function describePrincipal(principal: CompiledPrincipal, caller: Caller, index: number): ElementMatch {
  if (principal.element === 'NotPrincipal') {
    const matched = index >= 0;
    const allow = principal.effect === 'Allow';
    return {
      element: 'NotPrincipal',
      matched,
      requestValue: caller.arn,
      policyValues: principal.policyValues,
      reason: allow
        ? matched
          ? `The statement applies to every principal except those listed in NotPrincipal, and ${caller.arn} is not listed`
          : `${caller.arn} is excluded: NotPrincipal lists ${listedIdentity(principal, caller)}`
        : matched
          ? `${caller.identities[index]} is not listed in NotPrincipal`
          : 'Every identity of the caller is listed in NotPrincipal',
      range: principal.range,
    };
  }
  const value = index >= 0 ? principal.values[index] : undefined;
  const kind = value ? matchPrincipalValue(value, caller) : undefined;
  let reason: string;
  switch (kind) {
    case 'principal':
      reason = `The statement names ${value!.written}`;
      break;
    case 'wildcard':
      reason = 'The statement names every principal ("*")';
      break;
    case 'role':
      reason = `The statement names the role ${value!.written}, which covers its sessions`;
      break;
    case 'account':
      reason = `The statement names the caller's account (${value!.written}), which lets IAM policies grant access`;
      break;
    default:
      reason = `The statement does not name ${caller.arn}`;
  }
  return {
    element: 'Principal',
    matched: index >= 0,
    requestValue: caller.arn,
    policyValues: principal.policyValues,
    matchedBy: value?.written,
    reason,
    range: principal.range,
  };
}

const UNRESOLVED = -2;

/** Index of the first matching value, -1 for none, UNRESOLVED when a policy variable had no value (IAM-VAR). */
function valueListMatchIndex(list: CompiledValueList, comparable: string, context: ContextLookup): number {
  let unresolved = false;
  for (let i = 0; i < list.matchers.length; i++) {
    let matcher = list.matchers[i];
    if (list.dynamic.length > 0) {
      const dynamic = list.dynamic.find((d) => d.index === i);
      if (dynamic) {
        const pieces = resolveTemplate(dynamic.template, context);
        if (!pieces) {
          unresolved = true;
          continue;
        }
        matcher = compileArnPattern(pieces);
      }
    }
    if (matcher(comparable)) return i;
  }
  return unresolved ? UNRESOLVED : -1;
}

function valueListMatched(list: CompiledValueList, index: number): boolean {
  if (index === UNRESOLVED) return false;
  const negated = list.element === 'NotAction' || list.element === 'NotResource';
  return negated ? index < 0 : index >= 0;
}

function describeValueList(list: CompiledValueList, value: string, index: number): ElementMatch {
  const negated = list.element === 'NotAction' || list.element === 'NotResource';
  const matchedBy = index >= 0 ? list.policyValues[index] : undefined;
  const what = list.element === 'Action' || list.element === 'NotAction' ? 'action' : 'resource';
  let reason: string;
  if (index === UNRESOLVED)
    reason = `A policy variable in ${list.element} has no value in this request, so the statement does not apply (IAM-VAR)`;
  else if (negated)
    reason =
      matchedBy !== undefined
        ? `${value} is excluded by ${list.element} "${matchedBy}"`
        : `${value} is not listed in ${list.element}, so it is covered`;
  else
    reason =
      matchedBy !== undefined
        ? `${value} matches "${matchedBy}"`
        : `No ${what} in the statement matches ${value}`;
  return {
    element: list.element,
    matched: valueListMatched(list, index),
    requestValue: value,
    policyValues: list.policyValues,
    matchedBy: negated ? undefined : matchedBy,
    reason,
    range: list.range,
  };
}

/**
 * Element matches depend only on the request value (lists without variables) or the caller, so each is computed
 * once per value (an action, a key ARN: at most this many per list, then the list forgets them all) or per caller (on
 * the caller, see `Caller.principalMatches`) and kept; their trace records are shared between results (never mutated).
 */
const MAX_REMEMBERED = 512;

/** The remembered match of a list without variables; `comparable` is the value as matched (actions lower-cased). */
function rememberedValueListMatch(
  list: CompiledValueList,
  value: string,
  comparable: string,
  context: ContextLookup,
): ValueListMatch {
  if (list.lastValue === value) return list.lastMatch!;
  let match = list.matches.get(value);
  if (match === undefined) {
    if (list.matches.size >= MAX_REMEMBERED) list.matches.clear();
    match = { index: valueListMatchIndex(list, comparable, context), described: undefined };
    list.matches.set(value, match);
  }
  list.lastValue = value;
  list.lastMatch = match;
  return match;
}

function describedValueList(
  list: CompiledValueList,
  remembered: ValueListMatch | undefined,
  value: string,
  index: number,
): ElementMatch {
  if (!remembered) return describeValueList(list, value, index);
  if (remembered.described === undefined) remembered.described = describeValueList(list, value, index);
  return remembered.described;
}

/** The first identity of the caller (itself, its role, its account) that a NotPrincipal lists. */
function listedIdentity(principal: CompiledPrincipal, caller: Caller): string {
  return caller.identities.find((id) => principal.values.some((v) => v.exact === id)) ?? caller.arn;
}

function rememberedPrincipalMatch(principal: CompiledPrincipal, caller: Caller): PrincipalMatch {
  const matches = (caller.principalMatches ??= new Map());
  let match = matches.get(principal);
  if (match === undefined) {
    const index = principalMatchIndex(principal, caller);
    const kind =
      index < 0
        ? undefined
        : principal.element === 'NotPrincipal'
          ? principal.effect === 'Allow'
            ? 'all-but-listed'
            : 'principal'
          : matchPrincipalValue(principal.values[index], caller);
    match = { index, kind, described: undefined };
    matches.set(principal, match);
  }
  return match;
}

const scratch = newConditionScratch();
/** Shared by every statement whose conditions were not evaluated; never mutated. */
const NO_CONDITIONS: StatementMatch['conditions'] = [];

/**
 * Matches one statement against the request. The decision needs only booleans; with `request.trace` the
 * StatementMatch record is built too. Conditions are evaluated only when Action, Resource and Principal match
 * (as AWS stops there too); their records are then all present.
 */
export function evaluateStatement(
  statement: CompiledStatement,
  request: StatementRequest,
): StatementEvaluation {
  const { caller, context } = request;
  const actionList = statement.action;
  const resourceList = statement.resource;
  const principalElement = statement.principal;
  let actionMatch: ValueListMatch | undefined;
  let actionIndex = -1;
  if (actionList) {
    if (actionList.dynamic.length === 0 && (request.trace || !actionList.cheap)) {
      actionMatch = rememberedValueListMatch(actionList, request.action, request.actionLower, context);
      actionIndex = actionMatch.index;
    } else actionIndex = valueListMatchIndex(actionList, request.actionLower, context);
  }
  const actionOk = actionList !== undefined && valueListMatched(actionList, actionIndex);
  let resourceMatch: ValueListMatch | undefined;
  let resourceIndex = -1;
  if (resourceList) {
    if (resourceList.dynamic.length === 0 && (request.trace || !resourceList.cheap)) {
      resourceMatch = rememberedValueListMatch(resourceList, request.resource, request.resource, context);
      resourceIndex = resourceMatch.index;
    } else resourceIndex = valueListMatchIndex(resourceList, request.resource, context);
  }
  const resourceOk = resourceList !== undefined && valueListMatched(resourceList, resourceIndex);
  const principalMatch = principalElement ? rememberedPrincipalMatch(principalElement, caller) : undefined;
  const principalOk = principalMatch
    ? principalMatch.index >= 0
    : !LAYERS_WITH_PRINCIPAL.has(statement.ref.layer);
  const elementsOk = statement.defect === undefined && actionOk && resourceOk && principalOk;
  // A traced statement that does not apply by its elements depends only on the (remembered) element matches, so its
  // evaluation is kept on the action's match and shared between results (it is never mutated: roles are marked only
  // on statements that apply).
  const memo =
    request.trace &&
    !elementsOk &&
    actionMatch !== undefined &&
    (resourceList === undefined || resourceMatch !== undefined)
      ? actionMatch
      : undefined;
  if (memo?.notApplying !== undefined) {
    const kept = memo.notApplying;
    for (let i = 0; i < kept.length; i++)
      if (kept[i].resource === resourceMatch && kept[i].principal === principalMatch)
        return kept[i].evaluation;
  }
  let conditionsHold = true;
  let multiValued = false;
  let conditions: StatementMatch['conditions'] = NO_CONDITIONS;
  let firstFailed: string | undefined;
  if (elementsOk) {
    const statementConditions = statement.conditions;
    for (let i = 0; i < statementConditions.length; i++) {
      const condition = statementConditions[i];
      const matched = testCondition(condition, context, scratch);
      if (scratch.why === 'multi-valued') multiValued = true;
      if (request.trace) {
        // Traced, every condition is tested and recorded: the list is made at its size.
        const record = describeCondition(condition, matched, scratch);
        if (conditions === NO_CONDITIONS) conditions = new Array(statementConditions.length);
        conditions[i] = record;
        if (!matched && firstFailed === undefined)
          firstFailed = `${condition.operator} ${condition.key}: ${record.reason}`;
      }
      if (!matched) {
        conditionsHold = false;
        if (!request.trace) break;
      }
    }
  }
  const applies = elementsOk && conditionsHold;
  const evaluation: StatementEvaluation = {
    ref: statement.ref,
    statement,
    applies,
    namesCaller: actionOk && principalOk && principalElement !== undefined,
    principalKind: principalOk && principalMatch ? principalMatch.kind : undefined,
    multiValuedWithoutSetOperator: multiValued,
  };
  if (!request.trace) return evaluation;

  const action: ElementMatch = actionList
    ? describedValueList(actionList, actionMatch, request.action, actionIndex)
    : {
        element: 'Action',
        matched: false,
        requestValue: request.action,
        policyValues: [],
        reason: 'The statement has no Action',
      };
  const resource = resourceList
    ? describedValueList(resourceList, resourceMatch, request.resource, resourceIndex)
    : null;
  let principal: ElementMatch | null = null;
  if (principalElement && principalMatch) {
    if (principalMatch.described === undefined)
      principalMatch.described = describePrincipal(principalElement, caller, principalMatch.index);
    principal = principalMatch.described;
  }
  let summary: string;
  if (statement.defect) summary = `Does not apply: ${statement.defect}`;
  else if (applies) summary = `Applies: ${statement.effect} ${request.action}`;
  else if (!actionOk) summary = `Does not apply: ${action.reason}`;
  else if (!resource || !resourceOk)
    summary = `Does not apply: ${resource ? resource.reason : 'no Resource'}`;
  else if (!principalOk) summary = `Does not apply: ${principal ? principal.reason : 'no Principal'}`;
  else summary = `Does not apply: ${firstFailed}`;
  evaluation.match = { ref: statement.ref, applies, action, resource, principal, conditions, summary };
  if (memo) {
    const kept = (memo.notApplying ??= []);
    if (kept.length >= MAX_NOT_APPLYING) kept.shift();
    kept.push({ resource: resourceMatch, principal: principalMatch, evaluation });
  }
  return evaluation;
}

/**
 * Why a statement whose Action and Principal match does not apply, in words for the explanation: its defect, its
 * Resource, or its first condition that does not hold (re-tested here; only denied requests ask).
 */
export function whyNotApplied(statement: CompiledStatement, request: StatementRequest): string {
  if (statement.defect) return statement.defect;
  if (
    statement.resource &&
    !valueListMatched(
      statement.resource,
      valueListMatchIndex(statement.resource, request.resource, request.context),
    )
  ) {
    return `its ${statement.resource.element} does not cover ${request.resource}`;
  }
  const probe = newConditionScratch();
  for (const condition of statement.conditions) {
    const matched = testCondition(condition, request.context, probe);
    if (!matched)
      return `its condition ${condition.operator} ${condition.key} does not hold: ${lowerFirst(describeCondition(condition, false, probe).reason)}`;
  }
  return 'it does not apply';
}

/** The caller record for a principal string; `roleArn` is the scenario's role (with its path) when known. */
export function makeCaller(principal: string, roleArn?: string): Caller {
  const info = classifyPrincipal(principal);
  const account = info.account;
  const rootArn = account ? accountRootArn(account, info.partition) : '';
  let identities: string[];
  switch (info.kind) {
    case 'root':
      identities = [rootArn];
      break;
    case 'assumed-role':
    case 'role': {
      const role = roleArn ?? `arn:${info.partition}:iam::${account}:role/${info.roleName}`;
      identities = info.kind === 'role' ? [role, rootArn] : [info.arn, role, rootArn];
      return { arn: info.arn, info, account, roleName: info.roleName, roleArn: role, identities };
    }
    case 'service':
    case 'unknown':
      identities = [info.arn];
      break;
    default:
      identities = [info.arn, rootArn];
  }
  return { arn: info.arn, info, account, identities };
}
