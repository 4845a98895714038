/**
 * Hand-written EvaluationResults for the flowchart and decision-panel tests and visual checks, shaped like the
 * engine's output (lab-design §3). They describe realistic requests; they are not produced by the engine.
 */
import type {
  ConditionMatch,
  ElementMatch,
  EvaluationResult,
  PolicyLayer,
  StatementMatch,
  StatementRef,
  Step,
  StepId,
  StepResult,
} from '../../engine/types';

const ACCOUNT = '111122223333';
const OTHER_ACCOUNT = '444455556666';
const KEY_ARN = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const FINANCE_SESSION = `arn:aws:sts::${ACCOUNT}:assumed-role/finance-app/alice`;
const FINANCE_ROLE = `arn:aws:iam::${ACCOUNT}:role/finance-app`;
const BOB = `arn:aws:iam::${ACCOUNT}:user/bob`;
const ADMIN_ROLE = `arn:aws:iam::${ACCOUNT}:role/KeyAdmin`;

const LAYER_NAMES: Record<PolicyLayer, string> = {
  key: 'key policy',
  identity: 'identity policy',
  boundary: 'permissions boundary',
  session: 'session policy',
  scp: 'SCP',
  rcp: 'RCP',
  endpoint: 'VPC endpoint policy',
};

function ref(
  policyId: string,
  layer: PolicyLayer,
  index: number,
  effect: 'Allow' | 'Deny',
  sid?: string,
): StatementRef {
  return {
    policyId,
    layer,
    index,
    sid,
    effect,
    label: `${LAYER_NAMES[layer]} #${index + 1}${sid ? ` "${sid}"` : ''}`,
  };
}

function element(
  name: ElementMatch['element'],
  requestValue: string,
  policyValues: string[],
  matched: boolean,
  reason: string,
): ElementMatch {
  const positive = !name.startsWith('Not');
  return {
    element: name,
    matched,
    requestValue,
    policyValues,
    matchedBy:
      matched && positive ? policyValues.find((v) => v === requestValue || v.endsWith('*')) : undefined,
    reason,
  };
}

function condition(
  operator: string,
  key: string,
  policyValues: string[],
  requestValues: string[] | null,
  matched: boolean,
  reason: string,
): ConditionMatch {
  return { operator, key, policyValues, requestValues, matched, reason };
}

function step(
  id: StepId,
  result: StepResult,
  summary: string,
  statements: StatementRef[] = [],
  decisive = false,
): Step {
  return decisive ? { id, result, summary, statements, decisive } : { id, result, summary, statements };
}

// ---- Statements reused across fixtures ----

const KEY_POLICY_ID = `key:${KEY_ARN}`;
const enableIam = ref(KEY_POLICY_ID, 'key', 0, 'Allow', 'Enable IAM User Permissions');
const keyAdmins = ref(KEY_POLICY_ID, 'key', 1, 'Allow', 'Allow access for Key Administrators');
const keyUsers = ref(KEY_POLICY_ID, 'key', 2, 'Allow', 'Allow use of the key');
const financeIdentity = ref(`identity:${FINANCE_ROLE}#0`, 'identity', 0, 'Allow', 'DecryptFinanceData');
const bobIdentity = ref(`identity:${BOB}#0`, 'identity', 0, 'Allow', 'KmsEverything');
const scpDenyOutsideVpc = ref(`scp:${ACCOUNT}#1`, 'scp', 0, 'Deny', 'DenyDecryptOutsideVpc');
const scpFullAccess = ref(`scp:${ACCOUNT}#0`, 'scp', 0, 'Allow', 'FullAWSAccess');

function enableIamMatch(
  caller: string,
  callerAccount: string,
  action: string,
  role?: StatementMatch['role'],
): StatementMatch {
  const applies = callerAccount === ACCOUNT;
  return {
    ref: enableIam,
    applies,
    action: element('Action', action, ['kms:*'], true, 'kms:* covers every KMS action'),
    resource: element('Resource', KEY_ARN, ['*'], true, 'In a key policy, "*" is this key'),
    principal: element(
      'Principal',
      caller,
      [`arn:aws:iam::${ACCOUNT}:root`],
      applies,
      applies
        ? `The account principal of ${ACCOUNT} covers ${caller}, but only through its IAM policies`
        : `The caller is in ${callerAccount}, not ${ACCOUNT}`,
    ),
    conditions: [],
    summary: applies ? 'Delegates to IAM in the key account' : 'Names another account',
    role,
  };
}

function keyAdminsMatch(caller: string, action: string): StatementMatch {
  return {
    ref: keyAdmins,
    applies: false,
    action: element(
      'Action',
      action,
      [
        'kms:Create*',
        'kms:Describe*',
        'kms:Enable*',
        'kms:List*',
        'kms:Put*',
        'kms:Update*',
        'kms:Revoke*',
        'kms:Disable*',
      ],
      false,
      `No listed action matches ${action}`,
    ),
    resource: element('Resource', KEY_ARN, ['*'], true, 'In a key policy, "*" is this key'),
    principal: element('Principal', caller, [ADMIN_ROLE], false, `${caller} is not ${ADMIN_ROLE}`),
    conditions: [],
    summary: `Action does not match: no listed action covers ${action}`,
  };
}

function keyUsersMatch(
  caller: string,
  action: string,
  context: string[] | null,
  applies: boolean,
): StatementMatch {
  const principalMatches = caller.includes('finance-app');
  return {
    ref: keyUsers,
    applies,
    action: element(
      'Action',
      action,
      ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
      true,
      `${action} is listed`,
    ),
    resource: element('Resource', KEY_ARN, ['*'], true, 'In a key policy, "*" is this key'),
    principal: element(
      'Principal',
      caller,
      [FINANCE_ROLE],
      principalMatches,
      principalMatches ? 'A role ARN covers the sessions of that role' : `${caller} is not ${FINANCE_ROLE}`,
    ),
    conditions: [
      condition(
        'StringEquals',
        'kms:EncryptionContext:dept',
        ['finance'],
        context,
        context?.includes('finance') ?? false,
        context === null
          ? 'kms:EncryptionContext:dept is absent; a non-negated operator on an absent key is false'
          : context.includes('finance')
            ? 'finance equals finance'
            : `${context.join(', ')} is not finance`,
      ),
    ],
    summary: applies
      ? 'Names the caller and every condition holds'
      : !principalMatches
        ? `Principal does not match: ${caller}`
        : 'Condition StringEquals kms:EncryptionContext:dept is false',
    role: applies ? 'allow' : undefined,
  };
}

const baseContext = (principal: string, action: string): Record<string, string[]> => ({
  'aws:PrincipalArn': [principal],
  'aws:PrincipalAccount': [ACCOUNT],
  'kms:CallerAccount': [ACCOUNT],
  'aws:RequestedRegion': ['us-east-1'],
  'kms:RequestAlias': ['alias/finance'],
  'aws:SecureTransport': ['true'],
  'kms:KeyOrigin': ['AWS_KMS'],
  'kms:KeySpec': ['SYMMETRIC_DEFAULT'],
  'kms:KeyUsage': ['ENCRYPT_DECRYPT'],
  'aws:CalledVia': [],
  'aws:SourceIp': ['203.0.113.10'],
  ...(action === 'kms:Decrypt' ? { 'kms:EncryptionContextKeys': ['dept'] } : {}),
});

/** Allowed through IAM delegation (path B): the key policy names the account, the role's IAM policy allows. */
export const allowedViaKeyPolicyAndIam: EvaluationResult = {
  id: 'finance-decrypt',
  decision: 'Allow',
  outcome: 'Success',
  allowedBy: 'key-policy+iam',
  deniedBy: null,
  steps: [
    step('request', 'pass', 'alice (finance-app) calls kms:Decrypt'),
    step('resolve-key', 'pass', 'alias/finance → key 1234abcd…'),
    step('cross-account', 'pass', 'Same account (111122223333)'),
    step('iam-only', 'pass', 'Uses a key: key policy applies'),
    step('explicit-deny', 'pass', 'No Deny statement matches'),
    step('scp', 'pass', 'FullAWSAccess allows', [scpFullAccess]),
    step('rcp', 'skip', 'No RCPs on the key account'),
    step('vpc-endpoint', 'skip', 'Not called through an endpoint'),
    step('key-policy', 'pass', 'Delegates to account 111122223333', [enableIam]),
    step('identity-policy', 'pass', 'DecryptFinanceData allows', [financeIdentity], true),
    step('boundary', 'skip', 'No permissions boundary'),
    step('session-policy', 'skip', 'No session policy'),
    step('key-state', 'pass', 'Enabled: Decrypt is allowed'),
    step('allow', 'pass', 'Allowed by key policy + IAM', [enableIam, financeIdentity]),
  ],
  statements: [
    enableIamMatch(FINANCE_SESSION, ACCOUNT, 'kms:Decrypt', 'delegation'),
    keyAdminsMatch(FINANCE_SESSION, 'kms:Decrypt'),
    keyUsersMatch(FINANCE_SESSION, 'kms:Decrypt', ['payroll'], false),
    {
      ref: financeIdentity,
      applies: true,
      action: element('Action', 'kms:Decrypt', ['kms:Decrypt'], true, 'kms:Decrypt is listed'),
      resource: element(
        'Resource',
        KEY_ARN,
        [`arn:aws:kms:us-east-1:${ACCOUNT}:key/*`],
        true,
        'The pattern covers the key ARN',
      ),
      principal: null,
      conditions: [
        condition(
          'StringEquals',
          'aws:RequestedRegion',
          ['us-east-1', 'eu-west-1'],
          ['us-east-1'],
          true,
          'us-east-1 is one of the values',
        ),
      ],
      summary: 'Allows kms:Decrypt on the key',
      role: 'iam-allow',
    },
    {
      ref: scpFullAccess,
      applies: true,
      action: element('Action', 'kms:Decrypt', ['*'], true, '"*" covers every action'),
      resource: element('Resource', KEY_ARN, ['*'], true, '"*" covers every resource'),
      principal: null,
      conditions: [],
      summary: 'Allows every action',
      role: 'guardrail-allow',
    },
  ],
  deciding: [enableIam, financeIdentity],
  context: { ...baseContext(FINANCE_SESSION, 'kms:Decrypt'), 'kms:EncryptionContext:dept': ['payroll'] },
  explanation:
    'The key policy statement "Enable IAM User Permissions" delegates access to IAM in account 111122223333, and the finance-app role\'s identity policy "DecryptFinanceData" allows kms:Decrypt on this key. No Deny applies and the key is enabled, so the call succeeds.',
  notes: ['The role session alice is evaluated with the policies of the role finance-app.'],
  expect: 'Allow',
  pass: true,
};

/** An SCP Deny with a negated condition on an absent key decides at once. */
export const explicitDenyByScp: EvaluationResult = {
  id: 'decrypt-outside-vpc',
  decision: 'ExplicitDeny',
  outcome: 'AccessDeniedException',
  errorMessage: `User: ${FINANCE_SESSION} is not authorized to perform: kms:Decrypt on resource: ${KEY_ARN} with an explicit deny in a service control policy`,
  allowedBy: null,
  deniedBy: { layer: 'scp', statement: scpDenyOutsideVpc },
  steps: [
    step('request', 'pass', 'alice (finance-app) calls kms:Decrypt'),
    step('resolve-key', 'pass', 'alias/finance → key 1234abcd…'),
    step('cross-account', 'pass', 'Same account (111122223333)'),
    step('iam-only', 'pass', 'Uses a key: key policy applies'),
    step('explicit-deny', 'deny', 'SCP DenyDecryptOutsideVpc denies', [scpDenyOutsideVpc], true),
    step('explicit-deny-result', 'deny', 'Explicit deny (SCP)', [scpDenyOutsideVpc]),
  ],
  statements: [
    {
      ref: scpDenyOutsideVpc,
      applies: true,
      action: element(
        'Action',
        'kms:Decrypt',
        ['kms:Decrypt', 'kms:GenerateDataKey*'],
        true,
        'kms:Decrypt is listed',
      ),
      resource: element('Resource', KEY_ARN, ['*'], true, '"*" covers every resource'),
      principal: null,
      conditions: [
        condition(
          'StringNotEquals',
          'aws:SourceVpce',
          ['vpce-0a1b2c3d4e5f67890'],
          null,
          true,
          'aws:SourceVpce is absent; a negated operator on an absent key is true',
        ),
      ],
      summary: 'Denies kms:Decrypt outside vpce-0a1b2c3d4e5f67890',
      role: 'explicit-deny',
    },
    enableIamMatch(FINANCE_SESSION, ACCOUNT, 'kms:Decrypt'),
    keyUsersMatch(FINANCE_SESSION, 'kms:Decrypt', ['finance'], true),
  ],
  deciding: [scpDenyOutsideVpc],
  context: { ...baseContext(FINANCE_SESSION, 'kms:Decrypt'), 'kms:EncryptionContext:dept': ['finance'] },
  explanation:
    'The SCP statement "DenyDecryptOutsideVpc" denies kms:Decrypt unless the call comes through vpce-0a1b2c3d4e5f67890. This call used no VPC endpoint, so aws:SourceVpce is absent and StringNotEquals is true. An explicit Deny wins over every Allow.',
  notes: [],
};

/** Same-account user whose IAM policy allows, but the key policy neither names him nor delegates to IAM. */
export const implicitDenyNoKeyPolicyStatement: EvaluationResult = {
  id: 'bob-encrypt',
  decision: 'ImplicitDeny',
  outcome: 'AccessDeniedException',
  errorMessage: `User: ${BOB} is not authorized to perform: kms:Encrypt on resource: ${KEY_ARN} because no resource-based policy allows the kms:Encrypt action`,
  allowedBy: null,
  deniedBy: null,
  steps: [
    step('request', 'pass', 'bob calls kms:Encrypt'),
    step('resolve-key', 'pass', 'Key 1234abcd… (key ARN)'),
    step('cross-account', 'pass', 'Same account (111122223333)'),
    step('iam-only', 'pass', 'Uses a key: key policy applies'),
    step('explicit-deny', 'pass', 'No Deny statement matches'),
    step('scp', 'skip', 'No SCPs on the caller account'),
    step('rcp', 'skip', 'No RCPs on the key account'),
    step('vpc-endpoint', 'skip', 'Not called through an endpoint'),
    step('key-policy', 'fail', 'No statement names bob or the account', [keyUsers], true),
    step('grant', 'fail', 'No grant for bob'),
    step('retire-grant', 'skip', 'Not a RetireGrant call'),
    step('implicit-deny', 'deny', 'Nothing allows kms:Encrypt'),
  ],
  statements: [
    keyAdminsMatch(BOB, 'kms:Encrypt'),
    keyUsersMatch(BOB, 'kms:Encrypt', null, false),
    {
      ref: bobIdentity,
      applies: true,
      action: element('Action', 'kms:Encrypt', ['kms:*'], true, 'kms:* covers every KMS action'),
      resource: element('Resource', KEY_ARN, ['*'], true, '"*" covers every resource'),
      principal: null,
      conditions: [],
      summary: 'Allows kms:*, but the key policy does not delegate to IAM',
    },
  ],
  deciding: [],
  context: baseContext(BOB, 'kms:Encrypt'),
  explanation:
    'No key policy statement names bob, and the key policy has no statement for account 111122223333, so IAM policies cannot grant access to this key. bob\'s identity policy "KmsEverything" allows kms:*, but on its own it is not enough. No grant covers the call, so it is implicitly denied.',
  notes: [
    'The key policy has no "Enable IAM User Permissions" statement: IAM policies have no effect on this key.',
  ],
  expect: 'Allow',
  pass: false,
};

/** Authorized directly by the key policy, but the key is disabled. */
export const disabledKey: EvaluationResult = {
  id: 'decrypt-disabled',
  decision: 'Allow',
  outcome: 'DisabledException',
  errorMessage: `${KEY_ARN} is disabled.`,
  allowedBy: 'key-policy',
  deniedBy: null,
  steps: [
    step('request', 'pass', 'alice (finance-app) calls kms:Decrypt'),
    step('resolve-key', 'pass', 'alias/finance → key 1234abcd…'),
    step('cross-account', 'pass', 'Same account (111122223333)'),
    step('iam-only', 'pass', 'Uses a key: key policy applies'),
    step('explicit-deny', 'pass', 'No Deny statement matches'),
    step('scp', 'skip', 'No SCPs on the caller account'),
    step('rcp', 'skip', 'No RCPs on the key account'),
    step('vpc-endpoint', 'skip', 'Not called through an endpoint'),
    step('key-policy', 'pass', 'Allow use of the key names the role', [keyUsers]),
    step('key-state', 'error', 'Disabled: DisabledException', [], true),
    step('error', 'error', 'DisabledException'),
  ],
  statements: [
    enableIamMatch(FINANCE_SESSION, ACCOUNT, 'kms:Decrypt'),
    keyAdminsMatch(FINANCE_SESSION, 'kms:Decrypt'),
    keyUsersMatch(FINANCE_SESSION, 'kms:Decrypt', ['finance'], true),
  ],
  deciding: [keyUsers],
  context: { ...baseContext(FINANCE_SESSION, 'kms:Decrypt'), 'kms:EncryptionContext:dept': ['finance'] },
  explanation:
    'The key policy statement "Allow use of the key" names the role finance-app and its condition holds, so the call is authorized. The key is disabled, so KMS refuses it with DisabledException.',
  notes: [
    'AWS does not document whether the key state is checked before or after authorization; the lab authorizes first.',
  ],
};

/** A cross-account caller allowed through a grant, without any key-policy statement for it. */
export const allowedByGrant: EvaluationResult = {
  id: 'partner-grant',
  decision: 'Allow',
  outcome: 'Success',
  allowedBy: 'grant',
  deniedBy: null,
  steps: [
    step('request', 'pass', 'partner-etl calls kms:GenerateDataKey'),
    step('resolve-key', 'pass', 'Key ARN in 111122223333'),
    step('cross-account', 'pass', 'GenerateDataKey may be used cross-account'),
    step('iam-only', 'pass', 'Uses a key: key policy applies'),
    step('explicit-deny', 'pass', 'No Deny statement matches'),
    step('scp', 'skip', 'No SCPs on the caller account'),
    step('rcp', 'skip', 'No RCPs on the key account'),
    step('vpc-endpoint', 'skip', 'Not called through an endpoint'),
    step('key-policy', 'fail', 'No statement names partner-etl'),
    step('grant', 'pass', 'Grant 0c2f… allows GenerateDataKey', [], true),
    step('key-state', 'pass', 'Enabled'),
    step('allow', 'pass', 'Allowed by a grant'),
  ],
  statements: [
    enableIamMatch(`arn:aws:iam::${OTHER_ACCOUNT}:role/partner-etl`, OTHER_ACCOUNT, 'kms:GenerateDataKey'),
  ],
  deciding: [],
  context: baseContext(`arn:aws:iam::${OTHER_ACCOUNT}:role/partner-etl`, 'kms:GenerateDataKey'),
  explanation:
    'No key policy statement names partner-etl, but grant 0c2f… gives it GenerateDataKey and its encryption-context constraint holds. The key is enabled.',
  notes: ['Whether a permissions boundary limits grant-based access is not documented; the lab applies it.'],
};

/** The alias does not exist: KMS answers NotFoundException before any policy is read. */
export const keyNotFound: EvaluationResult = {
  id: 'unknown-alias',
  decision: 'ImplicitDeny',
  outcome: 'NotFoundException',
  errorMessage: `Alias arn:aws:kms:us-east-1:${ACCOUNT}:alias/missing is not found.`,
  allowedBy: null,
  deniedBy: null,
  steps: [
    step('request', 'pass', 'bob calls kms:Encrypt'),
    step('resolve-key', 'error', 'alias/missing does not exist', [], true),
    step('error', 'error', 'NotFoundException'),
  ],
  statements: [],
  deciding: [],
  context: baseContext(BOB, 'kms:Encrypt'),
  explanation: 'The alias alias/missing does not exist in this account and region, so KMS cannot find a key.',
  notes: [],
};

export const FIXTURES = {
  allowedViaKeyPolicyAndIam,
  explicitDenyByScp,
  implicitDenyNoKeyPolicyStatement,
  disabledKey,
  allowedByGrant,
  keyNotFound,
} satisfies Record<string, EvaluationResult>;
