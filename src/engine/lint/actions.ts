/** Action / NotAction values: known service, known KMS action, wildcards that match something (IAM-ACT). */
import type { LocatedValue, ParsedStatement } from '../parse';
import { KMS_ACTIONS, SERVICE_PREFIXES, kmsAction, kmsActionsMatching, type ActionInfo } from '../data';
import { closest, type LintContext } from './context';

const KMS_ACTION_NAMES = KMS_ACTIONS.map((a) => `kms:${a.name}`);

export function checkActions(ctx: LintContext, statement: ParsedStatement): void {
  const list = statement.action;
  if (!list) return;
  for (const value of list.values) checkActionValue(ctx, value, list.element === 'NotAction');
}

function checkActionValue(ctx: LintContext, value: LocatedValue, negated: boolean): void {
  const action = value.value;
  if (action === '*') return;
  const colon = action.indexOf(':');
  if (colon <= 0 || colon === action.length - 1) {
    ctx.add(
      'INVALID_ACTION',
      `"${action}" is not an action: write service:Action, e.g. kms:Decrypt, or "*".`,
      value.path,
      value.range,
    );
    return;
  }
  // The usual case first: a KMS action written out (kms:Decrypt, any case).
  const known = kmsAction(action);
  if (known) {
    if (ctx.type === 'key' && known.iamOnly) {
      // kms-authorization §3 (PERM "Policy type", BP): these permissions come only from IAM policies.
      ctx.add(
        'IAM_ONLY_ACTION_IN_KEY_POLICY',
        `kms:${known.name} uses no particular key, so a key policy cannot grant or deny it: it has no effect here. Grant it in an IAM policy with "Resource": "*".`,
        value.path,
        value.range,
      );
    }
    return;
  }
  const service = action.slice(0, colon).toLowerCase();
  const serviceHasWildcard = WILDCARD.test(service);
  if (!serviceHasWildcard && !SERVICE_PREFIXES.has(service)) {
    ctx.add(
      'INVALID_SERVICE_IN_ACTION',
      `"${service}" is not an AWS service prefix (KMS actions start with kms:).`,
      value.path,
      value.range,
    );
    return;
  }
  if (service !== 'kms') {
    if (ctx.kmsOnly && !serviceHasWildcard) {
      // PERM: a key policy only ever authorizes KMS operations on this key; other services' actions do nothing.
      ctx.add(
        'NON_KMS_ACTION',
        `${action} is not a KMS action; it has no effect in a policy that only KMS reads.`,
        value.path,
        value.range,
      );
    }
    return;
  }
  if (WILDCARD.test(action.slice(colon + 1))) {
    if (kmsActionsMatching(action).length === 0) {
      ctx.add(
        'ACTION_MATCHES_NOTHING',
        `${action} matches no KMS action, so this ${negated ? 'NotAction entry excludes' : 'entry allows or denies'} nothing.`,
        value.path,
        value.range,
      );
    }
    return;
  }
  const hint = closest(action, KMS_ACTION_NAMES);
  ctx.add(
    'INVALID_ACTION',
    `${action} is not a KMS action.${hint ? ` Did you mean ${hint}?` : ''}`,
    value.path,
    value.range,
  );
}

const WILDCARD = /[*?]/;

export interface StatementActions {
  /** The KMS actions the statement covers (may be shared with the action-data cache: read-only). */
  kms: ActionInfo[];
  /** True when the statement may also cover other services' actions (a non-KMS entry, "*", or NotAction). */
  otherServices: boolean;
}

/**
 * The KMS actions a statement's Action / NotAction covers (IAM-NA: NotAction covers everything not listed).
 * Several checks ask for them, so they are worked out once per statement and lint run.
 */
export function statementActions(ctx: LintContext, statement: ParsedStatement): StatementActions {
  let actions = ctx.actionsByStatement.get(statement);
  if (!actions) {
    actions = coveredActions(statement);
    ctx.actionsByStatement.set(statement, actions);
  }
  return actions;
}

function coveredActions(statement: ParsedStatement): StatementActions {
  const list = statement.action;
  if (!list) return { kms: [], otherServices: false };
  let otherServices = false;
  for (const { value } of list.values)
    if (value === '*' || !value.toLowerCase().startsWith('kms:')) otherServices = true;
  // One value (the usual case): its cached match list is already the answer.
  let kms: ActionInfo[];
  if (list.values.length === 1) kms = kmsActionsMatching(list.values[0].value);
  else {
    kms = [];
    for (const { value } of list.values)
      for (const action of kmsActionsMatching(value)) if (!kms.includes(action)) kms.push(action);
  }
  if (list.element === 'NotAction') {
    const excluded = new Set(kms);
    return { kms: KMS_ACTIONS.filter((a) => !excluded.has(a)), otherServices: true };
  }
  return { kms, otherServices };
}

/** True when the statement's Action / NotAction covers this KMS action. */
export function coversAction(ctx: LintContext, statement: ParsedStatement, actionName: string): boolean {
  return statementActions(ctx, statement).kms.some((a) => a.name === actionName);
}
