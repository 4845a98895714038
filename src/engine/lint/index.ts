/**
 * The policy linter: findings shaped like IAM Access Analyzer's policy validation (ERROR, SECURITY_WARNING,
 * WARNING, SUGGESTION; issue code; message; learn-more link; JSON path; 1-based line/column range), per policy
 * type. It reads the parser's model (src/engine/parse.ts) and the KMS data (src/engine/data). Pure and total:
 * it never throws, whatever the input.
 */
import { parsePolicyDocument, parsePolicyText, type ParsedPolicy } from '../parse';
import type { Finding, FindingType, PolicyType } from '../types';
import { checkActions } from './actions';
import { checkConditions } from './conditions';
import { LintContext, type LintOptions } from './context';
import { checkKmsStar, checkLockout, checkWildcardPrincipal } from './key-policy';
import { checkPrincipals } from './principals';
import { checkResources } from './resources';
import {
  checkRequiredElements,
  checkSids,
  checkSize,
  checkStatementElements,
  checkTopLevel,
  reportParserProblems,
} from './structure';

export type { LintOptions } from './context';
export { FINDING_CODES, type FindingCode, type FindingCodeInfo } from './codes';

const SEVERITY: Record<FindingType, number> = { ERROR: 0, SECURITY_WARNING: 1, WARNING: 2, SUGGESTION: 3 };

/** Lints a parsed policy. `sizeText` is what counts against the size quota (defaults to the source text). */
export function lintParsedPolicy(
  policy: ParsedPolicy,
  type: PolicyType,
  options: LintOptions = {},
  sizeText = policy.text,
): Finding[] {
  const ctx = new LintContext(policy, type, options);
  try {
    reportParserProblems(ctx);
    if (policy.tree?.type === 'object') {
      checkTopLevel(ctx);
      for (const statement of policy.statements) {
        checkStatementElements(ctx, statement);
        checkRequiredElements(ctx, statement);
        checkActions(ctx, statement);
        checkResources(ctx, statement);
        checkPrincipals(ctx, statement);
        checkConditions(ctx, statement);
        if (type === 'key') {
          checkWildcardPrincipal(ctx, statement);
          checkKmsStar(ctx, statement);
        }
      }
      checkSids(ctx);
      if (type === 'key') checkLockout(ctx);
    }
    checkSize(ctx, sizeText);
  } catch (error) {
    // The linter must never throw at the editor; a bug here becomes a visible finding instead.
    ctx.add('LINT_FAILED', `The linter could not finish: ${String(error)}`, [], policy.range);
  }
  return ctx.findings.sort(
    (a, b) =>
      a.range.start.offset - b.range.start.offset ||
      SEVERITY[a.type] - SEVERITY[b.type] ||
      a.code.localeCompare(b.code),
  );
}

/** Lints policy text as typed in an editor. */
export function lintPolicy(text: string, type: PolicyType, options: LintOptions = {}): Finding[] {
  return lintParsedPolicy(parsePolicyText(text), type, options);
}

/**
 * Lints a policy given as a JSON value (from a scenario). Ranges refer to `JSON.stringify(doc, null, 2)`;
 * sizes are measured on compact JSON, the form AWS stores.
 */
export function lintPolicyDocument(doc: unknown, type: PolicyType, options: LintOptions = {}): Finding[] {
  let compact: string;
  try {
    compact = JSON.stringify(doc) ?? '';
  } catch {
    compact = '';
  }
  return lintParsedPolicy(parsePolicyDocument(doc), type, options, compact);
}
