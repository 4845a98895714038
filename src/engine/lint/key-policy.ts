/** Checks that only make sense for key policies: lockout, kms:* to non-administrators, Principal "*" (KPO, DEF). */
import type { ParsedStatement } from '../parse';
import { isParsedOperator, parseConditionOperator } from '../data';
import { checkAwsPrincipal } from './arn';
import { coversAction } from './actions';
import { statementLabel, type LintContext } from './context';

/** True when the statement's Principal includes everyone: `"*"` or `{"AWS": "*"}` (IAM-PR). */
function namesEveryone(statement: ParsedStatement): boolean {
  const principal = statement.principal;
  if (!principal || principal.element !== 'Principal') return false;
  return (
    principal.wildcard ||
    principal.entries.some((e) => e.type === 'AWS' && e.values.some((v) => v.value === '*'))
  );
}

/**
 * LOCKOUT_RISK: after this policy, could any principal call kms:PutKeyPolicy? KMS refuses a PutKeyPolicy that
 * would lock the caller out unless BypassPolicyLockoutSafetyCheck is set (PutKeyPolicy API reference; DEF).
 * The lab asks a simpler, caller-independent question: does some Allow statement with a Resource give
 * PutKeyPolicy to an AWS principal (a user, role, the account principal with IAM delegation, or "*"), and no
 * unconditional Deny take it from everyone?
 */
export function checkLockout(ctx: LintContext): void {
  const statements = ctx.policy.statements;
  if (statements.length === 0 || ctx.policy.syntaxErrors.length > 0) return;
  const effective = statements.filter(
    (s) => s.resource && s.principal?.element === 'Principal' && coversAction(ctx, s, 'PutKeyPolicy'),
  );
  const blanketDeny = effective.find((s) => s.effect?.value === 'Deny' && namesEveryone(s) && !s.condition);
  if (blanketDeny) {
    ctx.add(
      'LOCKOUT_RISK',
      `${statementLabel(blanketDeny)} denies kms:PutKeyPolicy to everyone without a condition: nobody, not even the account root, could ever change this key policy again.`,
      blanketDeny.path,
      blanketDeny.range,
    );
    return;
  }
  const grants = effective.some(
    (s) =>
      s.effect?.value === 'Allow' &&
      (namesEveryone(s) ||
        s.principal!.entries.some(
          (e) => e.type === 'AWS' && e.values.some((v) => !checkAwsPrincipal(v.value).problem),
        )),
  );
  if (!grants) {
    const statementElement = ctx.policy.elements.find((e) => e.name === 'Statement');
    ctx.add(
      'LOCKOUT_RISK',
      'No statement allows kms:PutKeyPolicy to a principal (or to the account principal, which lets IAM policies grant it): once this policy is in place nobody could change it, and KMS refuses it unless BypassPolicyLockoutSafetyCheck is set.',
      statementElement?.path ?? [],
      statementElement?.keyRange ?? ctx.policy.range,
    );
  }
}

/** KMS_STAR_TO_NON_ADMIN: `kms:*` (or `*`) allowed to someone other than the account principal or a listed administrator. */
export function checkKmsStar(ctx: LintContext, statement: ParsedStatement): void {
  const principal = statement.principal;
  if (
    statement.effect?.value !== 'Allow' ||
    principal?.element !== 'Principal' ||
    statement.action?.element !== 'Action'
  )
    return;
  if (!statement.action.values.some((v) => v.value === '*' || v.value.toLowerCase() === 'kms:*')) return;
  const administrators = new Set(ctx.options.administrators ?? []);
  const warn = (who: string, path: (string | number)[], range: typeof principal.range) =>
    ctx.add(
      'KMS_STAR_TO_NON_ADMIN',
      `${statementLabel(statement)} gives kms:* to ${who}: full control of the key, including changing its policy and scheduling its deletion (DEF). Grant only the actions needed, e.g. the key-user or key-administrator sets.`,
      path,
      range,
    );
  if (principal.wildcard) {
    warn('everyone ("*")', principal.path, principal.keyRange);
    return;
  }
  for (const entry of principal.entries) {
    for (const value of entry.values) {
      if (entry.type === 'AWS') {
        const check = checkAwsPrincipal(value.value);
        if (check.problem || administrators.has(value.value)) continue;
        if (check.kind === 'account' || check.kind === 'root') {
          // DEF: the key owner's account principal stands for the account and its administrators. Another
          // account's principal is not an administrator of this key (XA).
          const owner = ctx.ownerAccount;
          if (!owner || check.account === owner) continue;
          warn(`the external account ${check.account}`, value.path, value.range);
          continue;
        }
        warn(value.value === '*' ? 'everyone ("*")' : value.value, value.path, value.range);
      } else {
        warn(value.value, value.path, value.range);
      }
    }
  }
}

/**
 * Keys that tie a request to known accounts, organizations, principals or networks, so that a statement with
 * Principal "*" is no longer open to every account (KPO; the AWS managed key pattern uses kms:CallerAccount).
 */
const LIMITING_KEYS = new Set(
  [
    'kms:CallerAccount',
    'aws:PrincipalAccount',
    'aws:PrincipalArn',
    'aws:PrincipalOrgID',
    'aws:PrincipalOrgPaths',
    'aws:PrincipalServiceName',
    'aws:userid',
    'aws:SourceAccount',
    'aws:SourceArn',
    'aws:SourceOrgID',
    'aws:SourceOrgPaths',
    'aws:SourceVpc',
    'aws:SourceVpce',
    'aws:SourceIp',
  ].map((k) => k.toLowerCase()),
);

function hasLimitingCondition(statement: ParsedStatement): boolean {
  for (const block of statement.condition?.blocks ?? []) {
    const operator = parseConditionOperator(block.operator.value);
    // Negated operators, IfExists and ForAllValues are all true when the key is absent: they limit nothing.
    if (
      !isParsedOperator(operator) ||
      operator.base.negated ||
      operator.ifExists ||
      operator.set === 'ForAllValues'
    )
      continue;
    if (operator.base.family === 'Null') continue;
    for (const entry of block.entries) {
      if (LIMITING_KEYS.has(entry.key.value.toLowerCase()) && entry.values.some((v) => v.value !== '*'))
        return true;
    }
  }
  return false;
}

/** PRINCIPAL_WILDCARD_WITHOUT_CONDITION: an Allow to "*" opens the key to every AWS account (KPO, XA). */
export function checkWildcardPrincipal(ctx: LintContext, statement: ParsedStatement): void {
  if (statement.effect?.value !== 'Allow' || !namesEveryone(statement) || hasLimitingCondition(statement))
    return;
  const principal = statement.principal!;
  ctx.add(
    'PRINCIPAL_WILDCARD_WITHOUT_CONDITION',
    `${statementLabel(statement)} allows any principal in any AWS account: they then need only their own IAM permission. Limit it with a condition such as kms:CallerAccount or aws:PrincipalOrgID.`,
    principal.path,
    principal.keyRange,
  );
}
