/** Principal / NotPrincipal values (IAM-PR, IAM-NP). */
import type { ParsedPrincipal, ParsedStatement } from '../parse';
import { checkAwsPrincipal, checkResourceArn, isServicePrincipal } from './arn';
import { didYouMean } from '../did-you-mean';
import { statementLabel, type LintContext } from './context';

const PRINCIPAL_TYPES = ['AWS', 'Service', 'Federated', 'CanonicalUser'];

export function checkPrincipals(ctx: LintContext, statement: ParsedStatement): void {
  const principal = statement.principal;
  if (!principal || !ctx.namesPrincipals) return;
  for (const entry of principal.entries) {
    if (!PRINCIPAL_TYPES.includes(entry.type)) {
      ctx.add(
        'INVALID_PRINCIPAL_KEY',
        `"${entry.type}" is not a principal type; use AWS, Service, Federated or CanonicalUser.${didYouMean(entry.type, PRINCIPAL_TYPES)}`,
        entry.path,
        entry.typeRange,
      );
      continue;
    }
    for (const value of entry.values) {
      if (entry.type === 'AWS') {
        const check = checkAwsPrincipal(value.value);
        if (check.problem) ctx.add(check.problem.code, check.problem.message, value.path, value.range);
      } else if (entry.type === 'Service' && !isServicePrincipal(value.value)) {
        ctx.add(
          'INVALID_SERVICE_PRINCIPAL_FORMAT',
          `"${value.value}" is not a service principal such as logs.amazonaws.com.`,
          value.path,
          value.range,
        );
      } else if (entry.type === 'Federated' && value.value.startsWith('arn:')) {
        const problem = checkResourceArn(value.value);
        if (problem) ctx.add('INVALID_PRINCIPAL_FORMAT', problem.message, value.path, value.range);
      }
    }
  }
  if (principal.element === 'NotPrincipal') checkNotPrincipal(ctx, statement, principal);
}

function checkNotPrincipal(ctx: LintContext, statement: ParsedStatement, principal: ParsedPrincipal): void {
  if (statement.effect?.value === 'Allow') {
    // IAM-NP: NotPrincipal with Allow is not supported (it would allow everyone else, in every account).
    ctx.add(
      'ALLOW_WITH_NOT_PRINCIPAL',
      `${statementLabel(statement)} allows every principal except those listed, including anyone in any account. Use Principal with an aws:PrincipalArn condition instead.`,
      principal.path,
      principal.keyRange,
    );
    return;
  }
  if (statement.effect?.value !== 'Deny') return;
  // IAM-NP: with Deny + NotPrincipal, list the account of each user or role too (and the role of each session),
  // otherwise the account principal itself is denied and with it every principal in the account.
  const awsValues = principal.entries.filter((e) => e.type === 'AWS').flatMap((e) => e.values);
  const namedAccounts = new Set<string>();
  const namedRoles = new Set<string>();
  for (const value of awsValues) {
    const check = checkAwsPrincipal(value.value);
    if ((check.kind === 'account' || check.kind === 'root') && check.account)
      namedAccounts.add(check.account);
    if (check.kind === 'role')
      namedRoles.add(value.value.replace(/^(arn:[^:]+):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/, '$2/$3'));
  }
  for (const value of awsValues) {
    const check = checkAwsPrincipal(value.value);
    if (!check.account || check.kind === 'account' || check.kind === 'root') continue;
    if (!namedAccounts.has(check.account)) {
      ctx.add(
        'NOT_PRINCIPAL_WITHOUT_ACCOUNT',
        `Deny with NotPrincipal: also list the account arn:aws:iam::${check.account}:root, or the account itself is denied and ${value.value} with it.`,
        value.path,
        value.range,
      );
    } else if (check.kind === 'assumed-role') {
      const [, role] = /assumed-role\/([^/]+)\//.exec(value.value) ?? [];
      if (role && !namedRoles.has(`${check.account}/${role}`)) {
        ctx.add(
          'NOT_PRINCIPAL_WITHOUT_ACCOUNT',
          `Deny with NotPrincipal: also list the role arn:aws:iam::${check.account}:role/${role}, or the role is denied and its session with it.`,
          value.path,
          value.range,
        );
      }
    }
  }
}
