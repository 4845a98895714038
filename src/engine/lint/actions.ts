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
  const service = action.slice(0, colon).toLowerCase();
  const name = action.slice(colon + 1);
  const serviceHasWildcard = /[*?]/.test(service);
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
  if (/[*?]/.test(name)) {
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
  const info = kmsAction(action);
  if (!info) {
    const hint = closest(action, KMS_ACTION_NAMES);
    ctx.add(
      'INVALID_ACTION',
      `${action} is not a KMS action.${hint ? ` Did you mean ${hint}?` : ''}`,
      value.path,
      value.range,
    );
    return;
  }
  if (ctx.type === 'key' && info.iamOnly) {
    // kms-authorization §3 (PERM "Policy type", BP): these permissions come only from IAM policies.
    ctx.add(
      'IAM_ONLY_ACTION_IN_KEY_POLICY',
      `kms:${info.name} uses no particular key, so a key policy cannot grant or deny it: it has no effect here. Grant it in an IAM policy with "Resource": "*".`,
      value.path,
      value.range,
    );
  }
}

export interface StatementActions {
  /** The KMS actions the statement covers. */
  kms: ActionInfo[];
  /** True when the statement may also cover other services' actions (a non-KMS entry, "*", or NotAction). */
  otherServices: boolean;
}

/** The KMS actions a statement's Action / NotAction covers (IAM-NA: NotAction covers everything not listed). */
export function statementActions(statement: ParsedStatement): StatementActions {
  const list = statement.action;
  if (!list) return { kms: [], otherServices: false };
  const matched = new Set<ActionInfo>();
  let otherServices = false;
  for (const { value } of list.values) {
    for (const action of kmsActionsMatching(value)) matched.add(action);
    if (value === '*' || !value.toLowerCase().startsWith('kms:')) otherServices = true;
  }
  if (list.element === 'NotAction')
    return { kms: KMS_ACTIONS.filter((a) => !matched.has(a)), otherServices: true };
  return { kms: [...matched], otherServices };
}

/** True when the statement's Action / NotAction covers this KMS action. */
export function coversAction(statement: ParsedStatement, actionName: string): boolean {
  return statementActions(statement).kms.some((a) => a.name === actionName);
}
