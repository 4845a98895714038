/** Shared state of one lint run: the parsed policy, its type, the options and the findings so far. */
import type { JsonPath, ParsedPolicy, ParsedStatement } from '../parse';
import type { Finding, FindingType, PolicyType, SourceRange } from '../types';
import type { StatementActions } from './actions';
import { FINDING_CODES, type FindingCode } from './codes';

export interface LintOptions {
  /** The key the policy is attached to (key policies): sharpens the Resource message. */
  keyArn?: string;
  /** The account that owns the key (key policies) or the identity (identity policies). */
  accountId?: string;
  /**
   * Principal ARNs the learner considers key administrators: `kms:*` granted to them is not reported.
   * The account principal (`<account>` or `arn:aws:iam::<account>:root`) is always an administrator.
   */
  administrators?: string[];
  /** Which identity-policy quota applies (IAM quotas page); default `managed`. */
  identityPolicyKind?: 'managed' | 'inline-user' | 'inline-role' | 'inline-group';
}

export class LintContext {
  readonly findings: Finding[] = [];
  /** Each statement's KMS actions, worked out once per run (see `statementActions`). */
  readonly actionsByStatement = new Map<ParsedStatement, StatementActions>();

  constructor(
    readonly policy: ParsedPolicy,
    readonly type: PolicyType,
    readonly options: LintOptions,
  ) {}

  add(
    code: FindingCode,
    message: string,
    path: JsonPath,
    range: SourceRange,
    overrides: { type?: FindingType; link?: string } = {},
  ): void {
    const info = FINDING_CODES[code];
    this.findings.push({
      type: overrides.type ?? info.type,
      code,
      message,
      learnMoreLink: overrides.link ?? info.learnMoreLink,
      path,
      range,
    });
  }

  /** The account that owns the key (from the options, or the key ARN), when known. */
  get ownerAccount(): string | undefined {
    return this.options.accountId ?? /^arn:[^:]+:kms:[^:]*:(\d{12}):/.exec(this.options.keyArn ?? '')?.[1];
  }

  /** Resource-based policies name principals; identity-side policies must not (IAM-PR). */
  get namesPrincipals(): boolean {
    return this.type === 'key' || this.type === 'rcp' || this.type === 'endpoint';
  }

  /** Policies that only ever see KMS requests, where other services' actions have no effect. */
  get kmsOnly(): boolean {
    return this.type === 'key' || this.type === 'endpoint';
  }
}

/** A label for messages: `statement 2 ("AllowUse")`. */
export function statementLabel(statement: ParsedStatement): string {
  return `statement ${statement.index + 1}${statement.sid ? ` ("${statement.sid.value}")` : ''}`;
}

/** The "did you mean" helpers live in one module for the whole lab; re-exported for the lint checks. */
export { editDistance, nearestName as closest } from '../did-you-mean';
