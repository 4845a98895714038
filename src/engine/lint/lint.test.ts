/**
 * One test per finding code: each builds a small policy, lints it, and checks the code, the type, the JSON
 * path and that the range covers exactly the offending text (located independently with indexOf).
 * Sources are cited per case (tags of kms-authorization.md §0; AA = Access Analyzer policy check reference).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Finding, FindingType, PolicyType } from '../types';
import { FINDING_CODES, lintPolicy, lintPolicyDocument, type LintOptions } from './index';

const ACCOUNT = '111122223333';
const ROOT = `arn:aws:iam::${ACCOUNT}:root`;
const KEY_ARN = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

/** The account-principal statement every sound key policy starts with (DEF). */
const ROOT_STATEMENT = `{"Sid": "EnableIAM", "Effect": "Allow", "Principal": {"AWS": "${ROOT}"}, "Action": "kms:*", "Resource": "*"}`;

/** A policy document, one statement per line, so findings land on distinct lines. */
function policy(statements: string[], version: string | null = '2012-10-17'): string {
  const head = version === null ? '' : `  "Version": "${version}",\n`;
  return `{\n${head}  "Statement": [\n    ${statements.join(',\n    ')}\n  ]\n}`;
}

/** Line and column (1-based) of the `occurrence`-th appearance of `marker`, computed without the parser. */
function locate(
  text: string,
  marker: string,
  occurrence = 1,
): { line: number; column: number; offset: number } {
  let offset = -1;
  for (let i = 0; i < occurrence; i++) {
    offset = text.indexOf(marker, offset + 1);
    if (offset < 0) throw new Error(`marker ${marker} (#${occurrence}) not in text`);
  }
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n'), offset };
}

interface Expectation {
  code: string;
  type: FindingType;
  /** The exact text the finding's range must cover. */
  at: string;
  occurrence?: number;
  path: (string | number)[];
}

function expectFinding(findings: Finding[], text: string, expected: Expectation): Finding {
  const matches = findings.filter((f) => f.code === expected.code);
  expect(matches, `findings: ${findings.map((f) => f.code).join(', ')}`).not.toHaveLength(0);
  const start = locate(text, expected.at, expected.occurrence);
  const finding = matches.find((f) => f.range.start.offset === start.offset) ?? matches[0];
  expect(finding.type).toBe(expected.type);
  expect(finding.range.start).toEqual(start);
  expect(finding.range.end.offset).toBe(start.offset + expected.at.length);
  expect(finding.path).toEqual(expected.path);
  expect(finding.message.length).toBeGreaterThan(10);
  expect(finding.learnMoreLink).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
  return finding;
}

function codes(findings: Finding[]): string[] {
  return findings.map((f) => f.code);
}

interface Case {
  name: string;
  policyType: PolicyType;
  text: string;
  expect: Expectation;
  options?: LintOptions;
}

const allowUse = (action: string, extra = '') =>
  `{"Sid": "Use", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::${ACCOUNT}:role/App"}, "Action": ${action}, "Resource": "*"${extra}}`;
const identity = (action: string, extra = '', resource = '"*"') =>
  `{"Effect": "Allow", "Action": ${action}, "Resource": ${resource}${extra}}`;

const missingEffect = `{"Action": "kms:Decrypt", "Resource": "*"}`;
const missingAction = `{"Effect": "Allow", "Resource": "*"}`;
const missingResourceKey = `{"Effect": "Allow", "Principal": {"AWS": "${ROOT}"}, "Action": "kms:Decrypt"}`;
const missingPrincipalKey = `{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}`;

const cases: Case[] = [
  // ---- structure (IAM grammar, AA errors)
  {
    name: 'a JSON syntax error is located where the parser gave up (AA Json syntax error)',
    policyType: 'identity',
    text: '{\n  "Version": "2012-10-17",\n  "Statement": [ }\n}',
    expect: { code: 'JSON_SYNTAX_ERROR', type: 'ERROR', at: '}', path: [] },
  },
  {
    name: 'an element of the wrong JSON type (AA Data type mismatch)',
    policyType: 'identity',
    text: policy([identity('"kms:Decrypt"').replace('"Allow"', '["Allow"]')]),
    expect: { code: 'DATA_TYPE_MISMATCH', type: 'ERROR', at: '["Allow"]', path: ['Statement', 0, 'Effect'] },
  },
  {
    name: 'an element written twice in one statement',
    policyType: 'identity',
    text: policy([`{"Effect": "Allow", "Effect": "Deny", "Action": "kms:Decrypt", "Resource": "*"}`]),
    expect: {
      code: 'DUPLICATE_ELEMENT',
      type: 'WARNING',
      at: '"Effect"',
      occurrence: 2,
      path: ['Statement', 0, 'Effect'],
    },
  },
  {
    name: 'Action and NotAction in one statement (AA Unsupported element combination)',
    policyType: 'identity',
    text: policy([
      `{"Effect": "Allow", "Action": "kms:Decrypt", "NotAction": "kms:Encrypt", "Resource": "*"}`,
    ]),
    expect: {
      code: 'UNSUPPORTED_ELEMENT_COMBINATION',
      type: 'ERROR',
      at: '"NotAction"',
      path: ['Statement', 0, 'NotAction'],
    },
  },
  {
    name: 'a policy without Statement (AA Missing statement)',
    policyType: 'identity',
    text: '{"Version": "2012-10-17"}',
    expect: { code: 'MISSING_STATEMENT', type: 'ERROR', at: '{"Version": "2012-10-17"}', path: [] },
  },
  {
    name: 'an unknown statement element (AA Invalid policy element)',
    policyType: 'identity',
    text: policy([`{"Effect": "Allow", "Actions": "kms:Decrypt", "Action": "kms:Decrypt", "Resource": "*"}`]),
    expect: {
      code: 'INVALID_POLICY_ELEMENT',
      type: 'ERROR',
      at: '"Actions"',
      path: ['Statement', 0, 'Actions'],
    },
  },
  {
    name: 'a statement element misplaced at the top level (AA Invalid policy element)',
    policyType: 'identity',
    text: `{\n  "Version": "2012-10-17",\n  "Effect": "Allow",\n  "Statement": [${identity('"kms:Decrypt"')}]\n}`,
    expect: { code: 'INVALID_POLICY_ELEMENT', type: 'ERROR', at: '"Effect"', path: ['Effect'] },
  },
  {
    name: 'no Version: a suggestion (IAM Version element)',
    policyType: 'identity',
    text: policy([identity('"kms:Decrypt"')], null),
    expect: {
      code: 'MISSING_VERSION',
      type: 'SUGGESTION',
      at: policy([identity('"kms:Decrypt"')], null),
      path: [],
    },
  },
  {
    name: 'a Version that does not exist (AA Invalid version)',
    policyType: 'identity',
    text: policy([identity('"kms:Decrypt"')], '2012-10-18'),
    expect: { code: 'INVALID_VERSION', type: 'ERROR', at: '"2012-10-18"', path: ['Version'] },
  },
  {
    name: 'policy variables under the old Version are literal text (IAM-VAR)',
    policyType: 'identity',
    text: policy(
      [
        identity(
          '"kms:Decrypt"',
          `, "Condition": {"StringEquals": {"aws:PrincipalTag/team": "\${aws:username}"}}`,
        ),
      ],
      '2008-10-17',
    ),
    expect: {
      code: 'POLICY_VARIABLES_WITHOUT_VERSION',
      type: 'WARNING',
      at: '"2008-10-17"',
      path: ['Version'],
    },
  },
  {
    name: 'a statement without Effect (AA Missing effect)',
    policyType: 'identity',
    text: policy([missingEffect]),
    expect: { code: 'MISSING_EFFECT', type: 'ERROR', at: missingEffect, path: ['Statement', 0] },
  },
  {
    name: 'an Effect in the wrong case (AA Invalid effect)',
    policyType: 'identity',
    text: policy([identity('"kms:Decrypt"').replace('"Allow"', '"allow"')]),
    expect: { code: 'INVALID_EFFECT', type: 'ERROR', at: '"allow"', path: ['Statement', 0, 'Effect'] },
  },
  {
    name: 'a statement without Action (AA Missing action)',
    policyType: 'identity',
    text: policy([missingAction]),
    expect: { code: 'MISSING_ACTION', type: 'ERROR', at: missingAction, path: ['Statement', 0] },
  },
  {
    name: 'a key-policy statement without Resource has no effect (KPO)',
    policyType: 'key',
    text: policy([ROOT_STATEMENT, missingResourceKey]),
    expect: { code: 'MISSING_RESOURCE', type: 'ERROR', at: missingResourceKey, path: ['Statement', 1] },
  },
  {
    name: 'a key-policy statement without Principal (KPO: Principal is required)',
    policyType: 'key',
    text: policy([ROOT_STATEMENT, missingPrincipalKey]),
    expect: { code: 'MISSING_PRINCIPAL', type: 'ERROR', at: missingPrincipalKey, path: ['Statement', 1] },
  },
  {
    name: 'Principal in an identity policy (IAM-PR; AA Unsupported principal)',
    policyType: 'identity',
    text: policy([
      `{"Effect": "Allow", "Principal": {"AWS": "${ROOT}"}, "Action": "kms:Decrypt", "Resource": "*"}`,
    ]),
    expect: {
      code: 'UNSUPPORTED_PRINCIPAL',
      type: 'ERROR',
      at: '"Principal"',
      path: ['Statement', 0, 'Principal'],
    },
  },
  {
    name: 'Principal in an SCP (AA SCP syntax error principal)',
    policyType: 'scp',
    text: policy([
      `{"Effect": "Deny", "Principal": "*", "Action": "kms:ScheduleKeyDeletion", "Resource": "*"}`,
    ]),
    expect: {
      code: 'UNSUPPORTED_PRINCIPAL',
      type: 'ERROR',
      at: '"Principal"',
      path: ['Statement', 0, 'Principal'],
    },
  },
  {
    name: 'a Sid with spaces in an identity policy (IAM Sid element; AA Unsupported Sid)',
    policyType: 'identity',
    text: policy([`{"Sid": "Allow use", "Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}`]),
    expect: { code: 'INVALID_SID', type: 'ERROR', at: '"Allow use"', path: ['Statement', 0, 'Sid'] },
  },
  {
    name: 'two statements with one Sid in an identity policy (AA Unique Sids required)',
    policyType: 'identity',
    text: policy([
      `{"Sid": "Same", ${identity('"kms:Decrypt"').slice(1)}`,
      `{"Sid": "Same", ${identity('"kms:Encrypt"').slice(1)}`,
    ]),
    expect: {
      code: 'DUPLICATE_SID',
      type: 'ERROR',
      at: '"Same"',
      occurrence: 2,
      path: ['Statement', 1, 'Sid'],
    },
  },
  {
    name: 'Allow in a custom RCP (RCP syntax: Allow only in RCPFullAWSAccess)',
    policyType: 'rcp',
    text: policy([`{"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*"}`]),
    expect: {
      code: 'RCP_ALLOW_NOT_SUPPORTED',
      type: 'ERROR',
      at: '"Allow"',
      path: ['Statement', 0, 'Effect'],
    },
  },
  // ---- actions (IAM-ACT, PERM)
  {
    name: 'a misspelt KMS action (AA Invalid action)',
    policyType: 'identity',
    text: policy([identity('["kms:Encrypt", "kms:Decript"]')]),
    expect: {
      code: 'INVALID_ACTION',
      type: 'ERROR',
      at: '"kms:Decript"',
      path: ['Statement', 0, 'Action', 1],
    },
  },
  {
    name: 'an unknown service prefix (AA Invalid service in action)',
    policyType: 'identity',
    text: policy([identity('"kmss:Decrypt"')]),
    expect: {
      code: 'INVALID_SERVICE_IN_ACTION',
      type: 'ERROR',
      at: '"kmss:Decrypt"',
      path: ['Statement', 0, 'Action'],
    },
  },
  {
    name: 'a wildcard that matches no KMS action (IAM-ACT)',
    policyType: 'identity',
    text: policy([identity('"kms:Decrypt*Key"')]),
    expect: {
      code: 'ACTION_MATCHES_NOTHING',
      type: 'ERROR',
      at: '"kms:Decrypt*Key"',
      path: ['Statement', 0, 'Action'],
    },
  },
  {
    name: "another service's action in a key policy is only a suggestion (PERM)",
    policyType: 'key',
    text: policy([ROOT_STATEMENT, allowUse('["kms:Decrypt", "s3:GetObject"]')]),
    expect: {
      code: 'NON_KMS_ACTION',
      type: 'SUGGESTION',
      at: '"s3:GetObject"',
      path: ['Statement', 1, 'Action', 1],
    },
  },
  {
    name: 'an IAM-only action in a key policy has no effect (kms-authorization §3, BP)',
    policyType: 'key',
    text: policy([ROOT_STATEMENT, allowUse('["kms:ListAliases"]')]),
    expect: {
      code: 'IAM_ONLY_ACTION_IN_KEY_POLICY',
      type: 'WARNING',
      at: '"kms:ListAliases"',
      path: ['Statement', 1, 'Action', 0],
    },
  },
  // ---- resources and ARNs (BP, KPO)
  {
    name: 'an alias name as an IAM Resource is not an ARN (BP)',
    policyType: 'identity',
    text: policy([identity('"kms:Decrypt"', '', '"alias/payroll"')]),
    expect: { code: 'INVALID_ARN', type: 'ERROR', at: '"alias/payroll"', path: ['Statement', 0, 'Resource'] },
  },
  {
    name: 'a KMS ARN with a short account ID (AA Invalid ARN account)',
    policyType: 'identity',
    text: policy([identity('"kms:Decrypt"', '', '"arn:aws:kms:us-east-1:1111:key/abc"')]),
    expect: {
      code: 'INVALID_ARN_ACCOUNT',
      type: 'ERROR',
      at: '"arn:aws:kms:us-east-1:1111:key/abc"',
      path: ['Statement', 0, 'Resource'],
    },
  },
  {
    name: 'a KMS ARN without a Region (AA Missing ARN Region)',
    policyType: 'identity',
    text: policy([identity('"kms:Decrypt"', '', `["arn:aws:kms::${ACCOUNT}:key/abc"]`)]),
    expect: {
      code: 'MISSING_ARN_REGION',
      type: 'ERROR',
      at: `"arn:aws:kms::${ACCOUNT}:key/abc"`,
      path: ['Statement', 0, 'Resource', 0],
    },
  },
  {
    name: 'a key ID without key/ in a KMS ARN (AA Invalid ARN resource)',
    policyType: 'identity',
    text: policy([
      identity(
        '"kms:Decrypt"',
        '',
        `"arn:aws:kms:us-east-1:${ACCOUNT}:1234abcd-12ab-34cd-56ef-1234567890ab"`,
      ),
    ]),
    expect: {
      code: 'INVALID_ARN_RESOURCE',
      type: 'ERROR',
      at: `"arn:aws:kms:us-east-1:${ACCOUNT}:1234abcd-12ab-34cd-56ef-1234567890ab"`,
      path: ['Statement', 0, 'Resource'],
    },
  },
  {
    name: 'a key-policy Resource other than "*" (KPO)',
    policyType: 'key',
    text: policy([
      ROOT_STATEMENT,
      allowUse('"kms:Decrypt"').replace('"Resource": "*"', `"Resource": "${KEY_ARN}"`),
    ]),
    expect: {
      code: 'KEY_POLICY_RESOURCE_NOT_STAR',
      type: 'WARNING',
      at: `"${KEY_ARN}"`,
      path: ['Statement', 1, 'Resource'],
    },
  },
  {
    name: 'a malformed ARN in an ArnLike condition (IAM-OPS)',
    policyType: 'identity',
    text: policy([
      identity(
        '"kms:Decrypt"',
        `, "Condition": {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam:${ACCOUNT}:role/App"}}`,
      ),
    ]),
    expect: {
      code: 'INVALID_ARN',
      type: 'ERROR',
      at: `"arn:aws:iam:${ACCOUNT}:role/App"`,
      path: ['Statement', 0, 'Condition', 'ArnLike', 'aws:PrincipalArn'],
    },
  },
  // ---- principals (IAM-PR, IAM-NP, KPO, DEF)
  {
    name: 'an IAM group as a principal (IAM-PR; AA Invalid principal format)',
    policyType: 'key',
    text: policy([ROOT_STATEMENT, allowUse('"kms:Decrypt"').replace('role/App', 'group/Admins')]),
    expect: {
      code: 'INVALID_PRINCIPAL_FORMAT',
      type: 'ERROR',
      at: `"arn:aws:iam::${ACCOUNT}:group/Admins"`,
      path: ['Statement', 1, 'Principal', 'AWS'],
    },
  },
  {
    name: 'a wildcard inside a principal ARN (IAM-PR; AA Unsupported wildcard in principal)',
    policyType: 'key',
    text: policy([ROOT_STATEMENT, allowUse('"kms:Decrypt"').replace('role/App', 'role/*')]),
    expect: {
      code: 'UNSUPPORTED_WILDCARD_IN_PRINCIPAL',
      type: 'ERROR',
      at: `"arn:aws:iam::${ACCOUNT}:role/*"`,
      path: ['Statement', 1, 'Principal', 'AWS'],
    },
  },
  {
    name: 'an unknown principal type (AA Invalid principal key)',
    policyType: 'key',
    text: policy([ROOT_STATEMENT, allowUse('"kms:Decrypt"').replace('{"AWS":', '{"Aws":')]),
    expect: {
      code: 'INVALID_PRINCIPAL_KEY',
      type: 'ERROR',
      at: '"Aws"',
      path: ['Statement', 1, 'Principal', 'Aws'],
    },
  },
  {
    name: 'a service principal without its domain (AA Invalid service principal format)',
    policyType: 'key',
    text: policy([
      ROOT_STATEMENT,
      allowUse('"kms:Decrypt"').replace(`{"AWS": "arn:aws:iam::${ACCOUNT}:role/App"}`, '{"Service": "logs"}'),
    ]),
    expect: {
      code: 'INVALID_SERVICE_PRINCIPAL_FORMAT',
      type: 'ERROR',
      at: '"logs"',
      path: ['Statement', 1, 'Principal', 'Service'],
    },
  },
  {
    name: 'Allow with NotPrincipal (IAM-NP)',
    policyType: 'key',
    text: policy([
      ROOT_STATEMENT,
      `{"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::${ACCOUNT}:role/App"}, "Action": "kms:Decrypt", "Resource": "*"}`,
    ]),
    expect: {
      code: 'ALLOW_WITH_NOT_PRINCIPAL',
      type: 'SECURITY_WARNING',
      at: '"NotPrincipal"',
      path: ['Statement', 1, 'NotPrincipal'],
    },
  },
  {
    name: 'Deny with NotPrincipal that forgets the account (IAM-NP)',
    policyType: 'key',
    text: policy([
      ROOT_STATEMENT,
      `{"Effect": "Deny", "NotPrincipal": {"AWS": ["arn:aws:iam::${ACCOUNT}:role/Ops"]}, "Action": "kms:ScheduleKeyDeletion", "Resource": "*"}`,
    ]),
    expect: {
      code: 'NOT_PRINCIPAL_WITHOUT_ACCOUNT',
      type: 'WARNING',
      at: `"arn:aws:iam::${ACCOUNT}:role/Ops"`,
      path: ['Statement', 1, 'NotPrincipal', 'AWS', 0],
    },
  },
  {
    name: 'Principal "*" without a limiting condition opens the key to every account (KPO, XA)',
    policyType: 'key',
    text: policy([
      ROOT_STATEMENT,
      `{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "kms:Decrypt", "Resource": "*"}`,
    ]),
    expect: {
      code: 'PRINCIPAL_WILDCARD_WITHOUT_CONDITION',
      type: 'SECURITY_WARNING',
      at: '"Principal"',
      occurrence: 2,
      path: ['Statement', 1, 'Principal'],
    },
  },
  {
    name: 'kms:* to a role that is not an administrator (DEF)',
    policyType: 'key',
    text: policy([ROOT_STATEMENT, allowUse('"kms:*"')]),
    expect: {
      code: 'KMS_STAR_TO_NON_ADMIN',
      type: 'SECURITY_WARNING',
      at: `"arn:aws:iam::${ACCOUNT}:role/App"`,
      path: ['Statement', 1, 'Principal', 'AWS'],
    },
  },
  {
    name: 'nobody could call PutKeyPolicy after this policy (PutKeyPolicy lockout safety check)',
    policyType: 'key',
    text: policy([allowUse('["kms:Encrypt", "kms:Decrypt"]')]),
    expect: { code: 'LOCKOUT_RISK', type: 'ERROR', at: '"Statement"', path: ['Statement'] },
  },
  {
    name: 'an unconditional Deny of PutKeyPolicy to everyone locks the policy (PutKeyPolicy)',
    policyType: 'key',
    text: policy([
      ROOT_STATEMENT,
      `{"Effect": "Deny", "Principal": "*", "Action": "kms:Put*", "Resource": "*"}`,
    ]),
    expect: {
      code: 'LOCKOUT_RISK',
      type: 'ERROR',
      at: `{"Effect": "Deny", "Principal": "*", "Action": "kms:Put*", "Resource": "*"}`,
      path: ['Statement', 1],
    },
  },
  // ---- conditions (IAM-OPS, IAM-MULTI, CK, CA)
  {
    name: 'an unknown condition operator (kms-authorization §7.4; AA Invalid condition operator)',
    policyType: 'identity',
    text: policy([
      identity('"kms:Decrypt"', `, "Condition": {"StringEqualz": {"kms:CallerAccount": "${ACCOUNT}"}}`),
    ]),
    expect: {
      code: 'INVALID_CONDITION_OPERATOR',
      type: 'ERROR',
      at: '"StringEqualz"',
      path: ['Statement', 0, 'Condition', 'StringEqualz'],
    },
  },
  {
    name: 'NullIfExists (IAM-OPS; AA Null with if exists)',
    policyType: 'identity',
    text: policy([
      identity('"kms:Decrypt"', `, "Condition": {"NullIfExists": {"kms:EncryptionContextKeys": "false"}}`),
    ]),
    expect: {
      code: 'NULL_WITH_IF_EXISTS',
      type: 'ERROR',
      at: '"NullIfExists"',
      path: ['Statement', 0, 'Condition', 'NullIfExists'],
    },
  },
  {
    name: 'ForAllValues:Null "false" (the lab\'s reading: it always matches)',
    policyType: 'identity',
    text: policy([
      identity(
        '"kms:Decrypt"',
        `, "Condition": {"ForAllValues:Null": {"kms:EncryptionContextKeys": "false"}}`,
      ),
    ]),
    expect: {
      code: 'NULL_WITH_SET_OPERATOR',
      type: 'WARNING',
      at: '"kms:EncryptionContextKeys"',
      path: ['Statement', 0, 'Condition', 'ForAllValues:Null', 'kms:EncryptionContextKeys'],
    },
  },
  {
    name: 'an operator not in its usual spelling',
    policyType: 'identity',
    text: policy([
      identity('"kms:Decrypt"', `, "Condition": {"stringequals": {"kms:CallerAccount": "${ACCOUNT}"}}`),
    ]),
    expect: {
      code: 'OPERATOR_CASE',
      type: 'SUGGESTION',
      at: '"stringequals"',
      path: ['Statement', 0, 'Condition', 'stringequals'],
    },
  },
  {
    name: 'a condition key without a prefix (AA Invalid condition key format)',
    policyType: 'identity',
    text: policy([
      identity('"kms:Decrypt"', `, "Condition": {"StringEquals": {"CallerAccount": "${ACCOUNT}"}}`),
    ]),
    expect: {
      code: 'INVALID_CONDITION_KEY_FORMAT',
      type: 'ERROR',
      at: '"CallerAccount"',
      path: ['Statement', 0, 'Condition', 'StringEquals', 'CallerAccount'],
    },
  },
  {
    name: 'an unknown aws: key (CA; AA Invalid global condition key)',
    policyType: 'identity',
    text: policy([
      identity('"kms:Decrypt"', `, "Condition": {"StringEquals": {"aws:SourceVpcEndpoint": "vpce-1"}}`),
    ]),
    expect: {
      code: 'INVALID_GLOBAL_CONDITION_KEY',
      type: 'ERROR',
      at: '"aws:SourceVpcEndpoint"',
      path: ['Statement', 0, 'Condition', 'StringEquals', 'aws:SourceVpcEndpoint'],
    },
  },
  {
    name: 'an unknown kms: key (CK; AA Invalid service condition key)',
    policyType: 'identity',
    text: policy([
      identity(
        '"kms:Decrypt"',
        `, "Condition": {"ForAnyValue:StringEquals": {"kms:EncryptionContextKey": "dept"}}`,
      ),
    ]),
    expect: {
      code: 'INVALID_SERVICE_CONDITION_KEY',
      type: 'ERROR',
      at: '"kms:EncryptionContextKey"',
      path: ['Statement', 0, 'Condition', 'ForAnyValue:StringEquals', 'kms:EncryptionContextKey'],
    },
  },
  {
    name: 'a KMS key the listed actions never carry (CK: DescribeKey has no encryption context)',
    policyType: 'identity',
    text: policy([
      identity(
        '"kms:DescribeKey"',
        `, "Condition": {"StringEquals": {"kms:EncryptionContext:dept": "finance"}}`,
      ),
    ]),
    expect: {
      code: 'CONDITION_KEY_NOT_SUPPORTED_BY_ACTIONS',
      type: 'WARNING',
      at: '"kms:EncryptionContext:dept"',
      path: ['Statement', 0, 'Condition', 'StringEquals', 'kms:EncryptionContext:dept'],
    },
  },
  {
    name: "another service's key on KMS actions (CK, CA)",
    policyType: 'identity',
    text: policy([identity('"kms:Decrypt"', `, "Condition": {"StringLike": {"s3:prefix": "home/"}}`)]),
    expect: {
      code: 'CONDITION_KEY_NOT_SUPPORTED_BY_ACTIONS',
      type: 'WARNING',
      at: '"s3:prefix"',
      path: ['Statement', 0, 'Condition', 'StringLike', 's3:prefix'],
    },
  },
  {
    name: 'a numeric operator on a string key (IAM-OPS)',
    policyType: 'identity',
    text: policy([
      identity('"kms:Decrypt"', `, "Condition": {"NumericEquals": {"kms:CallerAccount": "${ACCOUNT}"}}`),
    ]),
    expect: {
      code: 'CONDITION_TYPE_MISMATCH',
      type: 'WARNING',
      at: '"kms:CallerAccount"',
      path: ['Statement', 0, 'Condition', 'NumericEquals', 'kms:CallerAccount'],
    },
  },
  {
    name: 'a Bool value that is not true or false (IAM-OPS)',
    policyType: 'identity',
    text: policy([
      identity('"kms:CreateGrant"', `, "Condition": {"Bool": {"kms:GrantIsForAWSResource": "yes"}}`),
    ]),
    expect: {
      code: 'CONDITION_VALUE_TYPE_MISMATCH',
      type: 'WARNING',
      at: '"yes"',
      path: ['Statement', 0, 'Condition', 'Bool', 'kms:GrantIsForAWSResource'],
    },
  },
  {
    name: 'a policy variable in a numeric condition (IAM-VAR; AA Invalid variable for operator)',
    policyType: 'identity',
    text: policy([
      identity(
        '"kms:Decrypt"',
        `, "Condition": {"NumericLessThan": {"aws:MultiFactorAuthAge": "\${aws:PrincipalTag/maxAge}"}}`,
      ),
    ]),
    expect: {
      code: 'INVALID_VARIABLE_FOR_OPERATOR',
      type: 'ERROR',
      at: '"${aws:PrincipalTag/maxAge}"',
      path: ['Statement', 0, 'Condition', 'NumericLessThan', 'aws:MultiFactorAuthAge'],
    },
  },
  {
    name: 'ForAllValues on a single-valued key in an identity policy (IAM-MULTI; AA security warning)',
    policyType: 'identity',
    text: policy([
      identity(
        '"kms:Decrypt"',
        `, "Condition": {"ForAllValues:StringEquals": {"kms:EncryptionContext:dept": "finance"}}`,
      ),
    ]),
    expect: {
      code: 'FORALLVALUES_WITH_SINGLE_VALUED_KEY',
      type: 'SECURITY_WARNING',
      at: '"kms:EncryptionContext:dept"',
      path: ['Statement', 0, 'Condition', 'ForAllValues:StringEquals', 'kms:EncryptionContext:dept'],
    },
  },
  {
    name: 'ForAnyValue on a single-valued key (IAM-MULTI)',
    policyType: 'identity',
    text: policy([
      identity(
        '"kms:Decrypt"',
        `, "Condition": {"ForAnyValue:StringEquals": {"kms:CallerAccount": "${ACCOUNT}"}}`,
      ),
    ]),
    expect: {
      code: 'FORANYVALUE_WITH_SINGLE_VALUED_KEY',
      type: 'WARNING',
      at: '"kms:CallerAccount"',
      path: ['Statement', 0, 'Condition', 'ForAnyValue:StringEquals', 'kms:CallerAccount'],
    },
  },
  {
    name: 'a multi-valued key without a set operator (IAM-MULTI, kms-authorization §7.2)',
    policyType: 'identity',
    text: policy([
      identity('"kms:Decrypt"', `, "Condition": {"StringEquals": {"kms:EncryptionContextKeys": "dept"}}`),
    ]),
    expect: {
      code: 'MULTI_VALUED_KEY_WITHOUT_SET_OPERATOR',
      type: 'WARNING',
      at: '"kms:EncryptionContextKeys"',
      path: ['Statement', 0, 'Condition', 'StringEquals', 'kms:EncryptionContextKeys'],
    },
  },
  {
    name: 'ForAllValues on kms:EncryptionContext:* in a key policy: KMS rejects it (CK, OverlyPermissiveCondition)',
    policyType: 'key',
    text: policy([
      ROOT_STATEMENT,
      allowUse(
        '"kms:Decrypt"',
        `, "Condition": {"ForAllValues:StringEquals": {"kms:EncryptionContext:dept": "finance"}}`,
      ),
    ]),
    expect: {
      code: 'KMS_REJECTS_FORALLVALUES',
      type: 'ERROR',
      at: '"kms:EncryptionContext:dept"',
      path: ['Statement', 1, 'Condition', 'ForAllValues:StringEquals', 'kms:EncryptionContext:dept'],
    },
  },
  {
    name: 'ForAllValues on aws:RequestTag/* in a key policy: KMS rejects it (kms-authorization §7.2)',
    policyType: 'key',
    text: policy([
      ROOT_STATEMENT,
      allowUse(
        '"kms:TagResource"',
        `, "Condition": {"ForAllValues:StringEquals": {"aws:RequestTag/team": "blue"}}`,
      ),
    ]),
    expect: {
      code: 'KMS_REJECTS_FORALLVALUES',
      type: 'ERROR',
      at: '"aws:RequestTag/team"',
      path: ['Statement', 1, 'Condition', 'ForAllValues:StringEquals', 'aws:RequestTag/team'],
    },
  },
  {
    name: 'valid JSON nested deeper than 64 levels is reported where the limit is passed, not as a syntax error',
    policyType: 'identity',
    text: policy([
      identity(
        '"kms:Decrypt"',
        `, "Condition": {"StringEquals": {"kms:EncryptionContext:a": ${'['.repeat(70)}${']'.repeat(70)}}}`,
      ),
    ]),
    expect: {
      code: 'JSON_NESTED_TOO_DEEP',
      type: 'ERROR',
      at: '[',
      // "Statement": [ is the first; levels 1-5 are the document, Statement, the statement, Condition, StringEquals.
      occurrence: 1 + 60,
      path: [
        'Statement',
        0,
        'Condition',
        'StringEquals',
        'kms:EncryptionContext:a',
        ...Array<number>(59).fill(0),
      ],
    },
  },
];

describe('lintPolicy: one finding per case', () => {
  for (const c of cases) {
    it(`${c.expect.code}: ${c.name}`, () => {
      expectFinding(lintPolicy(c.text, c.policyType, c.options), c.text, c.expect);
    });
  }

  it('covers every finding code except LINT_FAILED (which the property test below proves never appears)', () => {
    const tested = new Set(cases.map((c) => c.expect.code));
    const untested = Object.keys(FINDING_CODES).filter(
      (code) => !tested.has(code) && code !== 'LINT_FAILED' && code !== 'POLICY_SIZE_EXCEEDED',
    );
    expect(untested).toEqual([]);
  });
});

describe('policy size quotas', () => {
  const statementFor = (i: number) => allowUse(`"kms:Decrypt"`).replace('"Sid": "Use"', `"Sid": "Use${i}"`);

  it('reports a key policy over 32 KB (KPO: 32,768 bytes) on the whole document', () => {
    const statements = [ROOT_STATEMENT];
    while (policy(statements).length <= 32768) statements.push(statementFor(statements.length));
    const text = policy(statements);
    const finding = expectFinding(lintPolicy(text, 'key'), text, {
      code: 'POLICY_SIZE_EXCEEDED',
      type: 'ERROR',
      at: text,
      path: [],
    });
    expect(finding.message).toContain('32,768');
    statements.pop();
    expect(codes(lintPolicy(policy(statements), 'key'))).not.toContain('POLICY_SIZE_EXCEEDED');
  });

  it('counts identity policies without white space, per quota (IAM quotas: managed 6,144, inline user 2,048, role 10,240)', () => {
    const statements: string[] = [];
    while (policy(statements).replace(/\s/g, '').length <= 2048)
      statements.push(identity(`"kms:Decrypt"`).replace('{', `{"Sid": "S${statements.length}", `));
    const text = policy(statements);
    const found = lintPolicy(text, 'identity', { identityPolicyKind: 'inline-user' });
    const finding = expectFinding(found, text, {
      code: 'POLICY_SIZE_EXCEEDED',
      type: 'ERROR',
      at: text,
      path: [],
    });
    expect(finding.message).toContain('2,048');
    expect(codes(lintPolicy(text, 'identity', { identityPolicyKind: 'inline-role' }))).not.toContain(
      'POLICY_SIZE_EXCEEDED',
    );
    expect(codes(lintPolicy(text, 'identity'))).not.toContain('POLICY_SIZE_EXCEEDED'); // managed: 6,144
    // White space does not count: the same policy padded with spaces stays under the managed quota.
    const padded = text.replace(/,/g, ',' + ' '.repeat(40));
    expect(padded.length).toBeGreaterThan(6144);
    expect(codes(lintPolicy(padded, 'identity'))).not.toContain('POLICY_SIZE_EXCEEDED');
  });

  it('counts every character of an SCP (Organizations quotas: 5,120)', () => {
    const statement = `{"Effect": "Deny", "Action": "kms:ScheduleKeyDeletion", "Resource": "*"}`;
    const text = policy([statement]).replace('{', '{' + ' '.repeat(5200));
    const finding = expectFinding(lintPolicy(text, 'scp'), text, {
      code: 'POLICY_SIZE_EXCEEDED',
      type: 'ERROR',
      at: text.trim(),
      path: [],
    });
    expect(finding.learnMoreLink).toContain('organizations');
  });
});

describe('negative cases: what must not be reported', () => {
  it('a clean console default key policy yields no findings at all (DEF)', () => {
    const text = policy([
      ROOT_STATEMENT,
      `{"Sid": "Allow access for Key Administrators", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::${ACCOUNT}:role/KeyAdmin"}, "Action": ["kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*", "kms:Revoke*", "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:TagResource", "kms:UntagResource", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion"], "Resource": "*"}`,
      `{"Sid": "Allow use of the key", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::${ACCOUNT}:role/App"}, "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"], "Resource": "*"}`,
      `{"Sid": "Allow attachment of persistent resources", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::${ACCOUNT}:role/App"}, "Action": ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"], "Resource": "*", "Condition": {"Bool": {"kms:GrantIsForAWSResource": "true"}}}`,
    ]);
    const found = lintPolicy(text, 'key', { keyArn: KEY_ARN, accountId: ACCOUNT });
    expect(found.filter((f) => f.type === 'ERROR')).toEqual([]);
    expect(found).toEqual([]);
  });

  it('the AWS managed key pattern (Principal "*" limited by kms:CallerAccount and kms:ViaService) is not public (§6)', () => {
    const text = policy([
      `{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": ["kms:Encrypt", "kms:Decrypt"], "Resource": "*", "Condition": {"StringEquals": {"kms:CallerAccount": "${ACCOUNT}", "kms:ViaService": "ebs.us-east-1.amazonaws.com"}}}`,
      `{"Effect": "Allow", "Principal": {"AWS": "${ROOT}"}, "Action": ["kms:Describe*", "kms:Get*", "kms:List*", "kms:RevokeGrant", "kms:PutKeyPolicy"], "Resource": "*"}`,
    ]);
    expect(codes(lintPolicy(text, 'key'))).not.toContain('PRINCIPAL_WILDCARD_WITHOUT_CONDITION');
  });

  it('a negated condition does not limit Principal "*" (IAM-OPS: true when the key is absent)', () => {
    const text = policy([
      ROOT_STATEMENT,
      `{"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringNotEquals": {"kms:CallerAccount": "999999999999"}}}`,
    ]);
    expect(codes(lintPolicy(text, 'key'))).toContain('PRINCIPAL_WILDCARD_WITHOUT_CONDITION');
  });

  it('kms:* to the account principal or to a listed administrator is not reported (DEF)', () => {
    const text = policy([ROOT_STATEMENT, allowUse('"kms:*"').replace('role/App', 'role/KeyAdmin')]);
    expect(codes(lintPolicy(text, 'key'))).toContain('KMS_STAR_TO_NON_ADMIN');
    expect(
      codes(lintPolicy(text, 'key', { administrators: [`arn:aws:iam::${ACCOUNT}:role/KeyAdmin`] })),
    ).not.toContain('KMS_STAR_TO_NON_ADMIN');
  });

  it("kms:* to another account's principal is reported once the key's account is known (DEF, XA)", () => {
    const external = 'arn:aws:iam::444455556666:root';
    const text = policy([
      ROOT_STATEMENT,
      ROOT_STATEMENT.replace(ROOT, external).replace('EnableIAM', 'External'),
    ]);
    expect(codes(lintPolicy(text, 'key'))).not.toContain('KMS_STAR_TO_NON_ADMIN');
    expectFinding(lintPolicy(text, 'key', { keyArn: KEY_ARN }), text, {
      code: 'KMS_STAR_TO_NON_ADMIN',
      type: 'SECURITY_WARNING',
      at: `"${external}"`,
      path: ['Statement', 1, 'Principal', 'AWS'],
    });
  });

  it('a Sid with spaces is fine in a key policy (KPO), and duplicate Sids there are only a warning', () => {
    const text = policy([
      ROOT_STATEMENT.replace('EnableIAM', 'Enable IAM'),
      allowUse('"kms:Decrypt"').replace('"Use"', '"Enable IAM"'),
    ]);
    const found = lintPolicy(text, 'key');
    expect(codes(found)).not.toContain('INVALID_SID');
    expect(found.find((f) => f.code === 'DUPLICATE_SID')?.type).toBe('WARNING');
  });

  it('Deny with NotPrincipal that lists the account too is not reported (IAM-NP)', () => {
    const text = policy([
      ROOT_STATEMENT,
      `{"Effect": "Deny", "NotPrincipal": {"AWS": ["arn:aws:iam::${ACCOUNT}:role/Ops", "${ROOT}"]}, "Action": "kms:ScheduleKeyDeletion", "Resource": "*"}`,
    ]);
    expect(codes(lintPolicy(text, 'key'))).not.toContain('NOT_PRINCIPAL_WITHOUT_ACCOUNT');
  });

  it('non-KMS actions are normal in identity policies; Principal is normal in endpoint policies', () => {
    expect(codes(lintPolicy(policy([identity('["s3:GetObject", "kms:Decrypt"]')]), 'identity'))).toEqual([]);
    expect(
      codes(
        lintPolicy(
          policy([`{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}`]),
          'endpoint',
        ),
      ),
    ).toEqual([]);
  });

  it('RCPFullAWSAccess is accepted in an RCP (RCP syntax)', () => {
    expect(
      codes(
        lintPolicy(policy([`{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}`]), 'rcp'),
      ),
    ).toEqual([]);
  });

  it('Null on a multi-valued key needs no set operator (CK: Null kms:EncryptionContextKeys false)', () => {
    const text = policy([
      identity('"kms:Decrypt"', `, "Condition": {"Null": {"kms:EncryptionContextKeys": "false"}}`),
    ]);
    expect(codes(lintPolicy(text, 'identity'))).toEqual([]);
  });

  it('policy variables under 2012-10-17 are fine in string conditions and resources (IAM-VAR)', () => {
    const text = policy([
      identity(
        '"kms:Decrypt"',
        `, "Condition": {"StringEquals": {"kms:EncryptionContext:owner": "\${aws:username}"}}`,
        `"arn:aws:kms:us-east-1:${ACCOUNT}:alias/\${aws:username}-*"`,
      ),
    ]);
    expect(codes(lintPolicy(text, 'identity'))).toEqual([]);
  });
});

describe('large policies (every statement checked once; duplicate-Sid and lockout checks look at each statement once)', () => {
  const many = 1500;
  const useStatement = (i: number, sid: string) =>
    `{"Sid": "${sid}", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::${ACCOUNT}:role/Team-${i}"}, "Action": ["kms:Encrypt", "kms:Decrypt"], "Resource": "*", "Condition": {"StringEquals": {"kms:EncryptionContext:team": "t${i}"}}}`;

  it(`reports each repeated Sid against its first use, across ${many} statements (AA "Unique Sids required")`, () => {
    const statements = Array.from({ length: many }, (_, i) =>
      identity('"kms:Decrypt"').replace('{', `{"Sid": "S${i % 3}", `),
    );
    const text = policy(statements);
    const duplicates = lintPolicy(text, 'identity').filter((f) => f.code === 'DUPLICATE_SID');
    expect(duplicates).toHaveLength(many - 3);
    expect(duplicates.map((f) => f.path[1])).toEqual(Array.from({ length: many - 3 }, (_, i) => i + 3));
    expect(duplicates[0].message).toContain('statement 1;');
    expect(duplicates[duplicates.length - 1].message).toContain(`statement ${((many - 1) % 3) + 1};`);
  });

  it(`finds the one statement that keeps PutKeyPolicy reachable among ${many} (DEF, PutKeyPolicy API)`, () => {
    const users = Array.from({ length: many }, (_, i) => useStatement(i, `Use${i}`));
    expect(codes(lintPolicy(policy(users), 'key'))).toContain('LOCKOUT_RISK');
    const withAdmin = [...users, ROOT_STATEMENT];
    expect(codes(lintPolicy(policy(withAdmin), 'key'))).not.toContain('LOCKOUT_RISK');
    const denyAll = `{"Effect": "Deny", "Principal": "*", "Action": "kms:PutKeyPolicy", "Resource": "*"}`;
    const denied = lintPolicy(policy([...withAdmin, denyAll]), 'key').filter(
      (f) => f.code === 'LOCKOUT_RISK',
    );
    expect(denied).toHaveLength(1);
    expect(denied[0].path).toEqual(['Statement', many + 1]);
  });

  it('gives the same findings when the same texts are linted again, in any order (no state kept between runs)', () => {
    const texts = [
      policy([ROOT_STATEMENT, useStatement(1, 'A'), useStatement(2, 'A')]),
      policy([allowUse('"kms:CreateKey"', ', "Condition": {"stringequals": {"kms:CallerAccount": "x"}}')]),
      policy([
        identity(
          '["kms:Nothing*", "s3:GetObject"]',
          ', "Condition": {"Bool": {"kms:GrantIsForAWSResource": "yes"}}',
        ),
      ]),
    ];
    const first = texts.map((text) => lintPolicy(text, 'key'));
    const again = [...texts]
      .reverse()
      .map((text) => lintPolicy(text, 'key'))
      .reverse();
    expect(again).toEqual(first);
    expect(first.every((found) => found.length > 0)).toBe(true);
  });
});

describe('lintPolicyDocument', () => {
  it('lints a JSON value with ranges in its pretty-printed text', () => {
    const doc = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:Decrypt', Resource: '*' }],
    };
    const text = JSON.stringify(doc, null, 2);
    expectFinding(lintPolicyDocument(doc, 'identity'), text, {
      code: 'UNSUPPORTED_PRINCIPAL',
      type: 'ERROR',
      at: '"Principal"',
      path: ['Statement', 0, 'Principal'],
    });
  });

  it('never throws on values that are not policies', () => {
    for (const value of [null, 42, 'text', [], { Statement: 'x' }, { Statement: [null, 1] }]) {
      expect(() => lintPolicyDocument(value, 'key')).not.toThrow();
    }
  });
});

describe('properties', () => {
  it('never throws, never emits LINT_FAILED, and every range lies inside the text (any input, any type)', () => {
    const types: PolicyType[] = ['key', 'identity', 'boundary', 'session', 'scp', 'rcp', 'endpoint'];
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.jsonValue().map((v) => JSON.stringify({ Statement: v })),
        ),
        fc.constantFrom(...types),
        (text, type) => {
          const found = lintPolicy(text, type);
          for (const f of found) {
            expect(f.code).not.toBe('LINT_FAILED');
            expect(f.range.start.offset).toBeGreaterThanOrEqual(0);
            expect(f.range.end.offset).toBeLessThanOrEqual(text.length);
            expect(f.range.start.line).toBeGreaterThanOrEqual(1);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
