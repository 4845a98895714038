/** Document-level checks: syntax, elements, Version, Sid, Effect, the required elements, and size quotas. */
import type { ParsedStatement, PolicyProblem } from '../parse';
import type { FindingCode } from './codes';
import { didYouMean } from '../did-you-mean';
import { statementLabel, type LintContext } from './context';
import { LINKS } from './links';

const TOP_LEVEL_ELEMENTS = ['Version', 'Id', 'Statement'];
const STATEMENT_ELEMENTS = [
  'Sid',
  'Effect',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Principal',
  'NotPrincipal',
  'Condition',
];
const STATEMENT_ELEMENT_NAMES: ReadonlySet<string> = new Set(STATEMENT_ELEMENTS);
// IAM "Version" element page: the only two versions; 2012-10-17 is current and enables policy variables.
const KNOWN_VERSIONS = ['2012-10-17', '2008-10-17'];

const PROBLEM_CODES: Record<string, FindingCode> = {
  JSON_SYNTAX: 'JSON_SYNTAX_ERROR',
  NESTED_TOO_DEEP: 'JSON_NESTED_TOO_DEEP',
  NOT_AN_OBJECT: 'DATA_TYPE_MISMATCH',
  WRONG_TYPE: 'DATA_TYPE_MISMATCH',
  DUPLICATE_ELEMENT: 'DUPLICATE_ELEMENT',
  CONFLICTING_ELEMENTS: 'UNSUPPORTED_ELEMENT_COMBINATION',
  EMPTY_STATEMENT_LIST: 'MISSING_STATEMENT',
  INVALID_PRINCIPAL: 'INVALID_PRINCIPAL_FORMAT',
};

/** Syntax errors and the parser's structural problems, translated to findings. */
export function reportParserProblems(ctx: LintContext): void {
  const report = (problem: PolicyProblem) =>
    ctx.add(
      PROBLEM_CODES[problem.code] ?? 'DATA_TYPE_MISMATCH',
      problem.message,
      problem.path,
      problem.range,
    );
  ctx.policy.syntaxErrors.forEach(report);
  ctx.policy.problems.forEach(report);
}

export function checkTopLevel(ctx: LintContext): void {
  const { policy } = ctx;
  for (const element of policy.elements) {
    if (TOP_LEVEL_ELEMENTS.includes(element.name)) continue;
    const misplaced = STATEMENT_ELEMENTS.includes(element.name);
    const hint = misplaced ? '' : didYouMean(element.name, TOP_LEVEL_ELEMENTS);
    ctx.add(
      'INVALID_POLICY_ELEMENT',
      misplaced
        ? `${element.name} belongs inside a statement, not at the top of the policy.`
        : `"${element.name}" is not a policy element (a policy has Version, Id and Statement).${hint}`,
      element.path,
      element.keyRange,
    );
  }
  if (policy.statementForm === 'missing' && policy.tree?.type === 'object') {
    ctx.add(
      'MISSING_STATEMENT',
      'The policy has no Statement element, so it allows and denies nothing.',
      [],
      policy.range,
    );
  }
  checkVersion(ctx);
}

function checkVersion(ctx: LintContext): void {
  const { policy } = ctx;
  if (policy.tree?.type !== 'object') return;
  const version = policy.version;
  if (version && !KNOWN_VERSIONS.includes(version.value)) {
    ctx.add(
      'INVALID_VERSION',
      `"${version.value}" is not a policy language version; use "2012-10-17".`,
      version.path,
      version.range,
    );
    return;
  }
  const usesVariables = !policy.variablesEnabled && /\$\{[^}]+\}/.test(policy.text);
  if (usesVariables) {
    // IAM-VAR: without "Version": "2012-10-17", ${...} is literal text and never matches a real value.
    const where = version ? { path: version.path, range: version.range } : { path: [], range: policy.range };
    ctx.add(
      'POLICY_VARIABLES_WITHOUT_VERSION',
      `The policy uses \${...} policy variables, but ${version ? `Version "${version.value}"` : 'it has no Version'} treats them as literal text. Add "Version": "2012-10-17".`,
      where.path,
      where.range,
    );
  } else if (!version) {
    ctx.add(
      'MISSING_VERSION',
      'Add "Version": "2012-10-17": without it, policy variables and newer features are not available.',
      [],
      policy.range,
    );
  }
}

export function checkStatementElements(ctx: LintContext, statement: ParsedStatement): void {
  for (const element of statement.elements) {
    if (STATEMENT_ELEMENT_NAMES.has(element.name)) continue;
    const misplaced = TOP_LEVEL_ELEMENTS.includes(element.name);
    ctx.add(
      'INVALID_POLICY_ELEMENT',
      misplaced
        ? `${element.name} belongs at the top of the policy, not inside a statement.`
        : `"${element.name}" is not a statement element; AWS rejects the policy.${didYouMean(element.name, STATEMENT_ELEMENTS)}`,
      element.path,
      element.keyRange,
    );
  }
}

/** Effect, Action, Resource and Principal: present where required, absent where forbidden. */
export function checkRequiredElements(ctx: LintContext, statement: ParsedStatement): void {
  let hasEffect = false;
  let hasAction = false;
  let hasResource = false;
  for (const { name } of statement.elements) {
    if (name === 'Effect') hasEffect = true;
    else if (name === 'Action' || name === 'NotAction') hasAction = true;
    else if (name === 'Resource' || name === 'NotResource') hasResource = true;
  }

  if (!hasEffect) {
    ctx.add(
      'MISSING_EFFECT',
      `${statementLabel(statement)} has no Effect: add "Effect": "Allow" or "Deny".`,
      statement.path,
      statement.range,
    );
  } else if (statement.effect && statement.effect.value !== 'Allow' && statement.effect.value !== 'Deny') {
    // IAM grammar: the Effect value is case-sensitive.
    ctx.add(
      'INVALID_EFFECT',
      `Effect must be "Allow" or "Deny" (exactly), not "${statement.effect.value}".`,
      statement.effect.path,
      statement.effect.range,
    );
  }
  if (!hasAction) {
    ctx.add(
      'MISSING_ACTION',
      `${statementLabel(statement)} has no Action or NotAction, so it matches no request.`,
      statement.path,
      statement.range,
    );
  }
  if (!hasResource) {
    // KPO: in a key policy a statement without Resource has no effect (the console reports it; the API accepts it).
    const why =
      ctx.type === 'key'
        ? ' In a key policy, write "Resource": "*" (this key); without it the statement has no effect.'
        : '';
    ctx.add(
      'MISSING_RESOURCE',
      `${statementLabel(statement)} has no Resource or NotResource.${why}`,
      statement.path,
      statement.range,
    );
  }
  const principal = statement.principal;
  if (ctx.namesPrincipals) {
    // KPO: Principal is required in key-policy statements; endpoint policies must contain one (VPCE).
    if (!principal) {
      ctx.add(
        'MISSING_PRINCIPAL',
        `${statementLabel(statement)} has no Principal; a ${policyTypeName(ctx)} must say whom each statement applies to.`,
        statement.path,
        statement.range,
      );
    }
  } else if (principal) {
    // IAM-PR: identity-based policies (and boundaries, session policies, SCPs) apply to the identity they are attached to.
    ctx.add(
      'UNSUPPORTED_PRINCIPAL',
      `${principal.element} is not allowed in ${withArticle(policyTypeName(ctx))}: it applies to the identity it is attached to. Remove it.`,
      principal.path,
      principal.keyRange,
    );
  }
  if (ctx.type === 'rcp' && statement.effect?.value === 'Allow' && !isFullAccessStatement(statement)) {
    // RCP syntax: "The effect of Allow is only supported for the RCPFullAWSAccess policy".
    ctx.add(
      'RCP_ALLOW_NOT_SUPPORTED',
      'RCPs only deny: Allow is supported only in the AWS-managed RCPFullAWSAccess policy.',
      statement.effect.path,
      statement.effect.range,
    );
  }
}

function isFullAccessStatement(statement: ParsedStatement): boolean {
  const onlyStar = (values: { value: string }[] | undefined) =>
    values?.length === 1 && values[0].value === '*';
  return (
    statement.action?.element === 'Action' &&
    onlyStar(statement.action.values) &&
    statement.resource?.element === 'Resource' &&
    onlyStar(statement.resource.values) &&
    !statement.condition
  );
}

/** "an identity policy", "a session policy". */
function withArticle(name: string): string {
  return `${/^[aeiou]/i.test(name) ? 'an' : 'a'} ${name}`;
}

export function policyTypeName(ctx: LintContext): string {
  const names: Record<string, string> = {
    key: 'key policy',
    identity: 'identity policy',
    boundary: 'permissions boundary',
    session: 'session policy',
    scp: 'service control policy',
    rcp: 'resource control policy',
    endpoint: 'VPC endpoint policy',
  };
  return names[ctx.type];
}

/** IAM Sid rules, and duplicate Sids. */
export function checkSids(ctx: LintContext): void {
  const iamRules = ctx.type !== 'key' && ctx.type !== 'endpoint';
  const seen = new Map<string, number>();
  for (const statement of ctx.policy.statements) {
    const sid = statement.sid;
    if (!sid) continue;
    if (iamRules && !/^[A-Za-z0-9]*$/.test(sid.value)) {
      // IAM Sid element page: ASCII letters and digits only. KPO: key policies accept spaces in a Sid.
      ctx.add(
        'INVALID_SID',
        `In a ${policyTypeName(ctx)} a Sid may contain only letters and digits; "${sid.value}" has others.`,
        sid.path,
        sid.range,
      );
    }
    const previous = seen.get(sid.value);
    if (previous !== undefined) {
      // AA "Unique Sids required" for IAM policies; in a key policy duplicates are confusing but accepted.
      ctx.add(
        'DUPLICATE_SID',
        `The Sid "${sid.value}" is already used by statement ${previous + 1}; give each statement its own Sid.`,
        sid.path,
        sid.range,
        { type: iamRules ? 'ERROR' : 'WARNING' },
      );
    } else {
      seen.set(sid.value, statement.index);
    }
  }
}

interface SizeRule {
  limit: number;
  unit: string;
  measure: (text: string) => number;
  link: string;
  source: string;
}

const withoutWhitespace = (text: string) => text.replace(/\s/g, '').length;
const utf8 = new TextEncoder();
const utf8Bytes = (text: string) => utf8.encode(text).length;
const allCharacters = (text: string) => text.length;

function sizeRule(ctx: LintContext): SizeRule {
  switch (ctx.type) {
    case 'key':
      // KPO: "The maximum length of a key policy document is 32 KB (32,768 bytes)".
      return {
        limit: 32768,
        unit: 'bytes',
        measure: utf8Bytes,
        link: LINKS.keyPolicyOverview,
        source: 'key policy quota',
      };
    case 'identity': {
      // IAM quotas page: managed policy 6,144; inline policies (aggregate per entity) user 2,048, role 10,240,
      // group 5,120 characters; IAM does not count white space.
      const limits = { managed: 6144, 'inline-user': 2048, 'inline-role': 10240, 'inline-group': 5120 };
      const kind = ctx.options.identityPolicyKind ?? 'managed';
      return {
        limit: limits[kind],
        unit: 'characters (white space not counted)',
        measure: withoutWhitespace,
        link: LINKS.iamQuotas,
        source: `${kind} policy quota`,
      };
    }
    case 'boundary':
      // A permissions boundary is a managed policy: 6,144 characters without white space (IAM quotas page).
      return {
        limit: 6144,
        unit: 'characters (white space not counted)',
        measure: withoutWhitespace,
        link: LINKS.iamQuotas,
        source: 'managed policy quota',
      };
    case 'session':
      // STS AssumeRole: session policy plaintext up to 2,048 characters. [unknown] whether white space counts:
      // the lab counts it as IAM does for its other policies (not counted).
      return {
        limit: 2048,
        unit: 'characters (white space not counted)',
        measure: withoutWhitespace,
        link: LINKS.iamQuotas,
        source: 'session policy quota',
      };
    case 'scp':
    case 'rcp':
      // Organizations quotas: SCP and RCP documents up to 5,120 characters; all characters count (RCP syntax page).
      return {
        limit: 5120,
        unit: 'characters',
        measure: allCharacters,
        link: LINKS.orgQuotas,
        source: 'Organizations policy quota',
      };
    case 'endpoint':
      // PrivateLink quotas: 20,480 characters per endpoint policy, including white space.
      return {
        limit: 20480,
        unit: 'characters',
        measure: allCharacters,
        link: LINKS.endpointPolicies,
        source: 'VPC endpoint policy quota',
      };
  }
}

/** `sizeText` is the text AWS would store: the source text, or compact JSON for a policy given as a value. */
export function checkSize(ctx: LintContext, sizeText: string): void {
  const rule = sizeRule(ctx);
  const size = rule.measure(sizeText);
  if (size <= rule.limit) return;
  ctx.add(
    'POLICY_SIZE_EXCEEDED',
    `This ${policyTypeName(ctx)} is ${size.toLocaleString('en-US')} ${rule.unit}; the ${rule.source} is ${rule.limit.toLocaleString('en-US')}.`,
    [],
    ctx.policy.range,
    { link: rule.link },
  );
}
