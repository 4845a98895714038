import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  importAwsJson,
  placeholderKeyPolicy,
  principalOfCaller,
  scenarioFromEvent,
  withEventWorld,
  type AwsImportResult,
} from './import-aws';
import { evaluateScenario } from '../engine/index';
import { loadScenario } from './load';

// Samples written for the lab, modelled on kms-service-facts.md §3 and the AWS CLI output shapes.
const KEY_ARN = 'arn:aws:kms:eu-west-2:111122223333:key/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b';
const KEY_POLICY = {
  Version: '2012-10-17',
  Id: 'key-consolepolicy-3',
  Statement: [
    {
      Sid: 'Enable IAM User Permissions',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::111122223333:root' },
      Action: 'kms:*',
      Resource: '*',
    },
  ],
};
const IDENTITY_POLICY = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: KEY_ARN }],
};

function deniedDecrypt(overrides: Record<string, unknown> = {}) {
  return {
    eventVersion: '1.11',
    userIdentity: {
      type: 'IAMUser',
      principalId: 'AIDAEXAMPLEBOB',
      arn: 'arn:aws:iam::111122223333:user/bob',
      accountId: '111122223333',
      accessKeyId: 'AKIAEXAMPLEBOB',
      userName: 'bob',
    },
    eventTime: '2026-11-28T09:20:41Z',
    eventSource: 'kms.amazonaws.com',
    eventName: 'Decrypt',
    awsRegion: 'eu-west-2',
    sourceIPAddress: '198.51.100.9',
    userAgent: 'aws-cli/2.15.0',
    errorCode: 'AccessDenied',
    errorMessage: `User: arn:aws:iam::111122223333:user/bob is not authorized to perform: kms:Decrypt on resource: ${KEY_ARN} because no resource-based policy allows the kms:Decrypt action`,
    requestParameters: {
      encryptionAlgorithm: 'SYMMETRIC_DEFAULT',
      encryptionContext: { tenant: 'acme', purpose: 'invoice-pdf' },
    },
    responseElements: null,
    requestID: 'a3d5c7e9-0b2d-4f6a-8c1e-3a5b7c9d1e2f',
    eventID: 'c1e3a5b7-d9f1-4b3d-8e5f-7a9c1e3b5d7f',
    readOnly: true,
    resources: [{ accountId: '111122223333', type: 'AWS::KMS::Key', ARN: KEY_ARN }],
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: '111122223333',
    eventCategory: 'Management',
    ...overrides,
  };
}

type Imported = Extract<AwsImportResult, { ok: true }>;
function ok<K extends Imported['kind']>(result: AwsImportResult, kind: K): Imported & { kind: K } {
  if (!result.ok || result.kind !== kind) throw new Error(`expected ${kind}, got ${JSON.stringify(result)}`);
  return result as Imported & { kind: K };
}

describe('importAwsJson: policies', () => {
  it('reads aws kms get-key-policy output, keeping the policy text as AWS returned it', () => {
    const policyText = JSON.stringify(KEY_POLICY, null, 2);
    const result = ok(
      importAwsJson(JSON.stringify({ Policy: policyText, PolicyName: 'default' }, null, 4)),
      'key-policy',
    );
    expect(result.policy).toEqual(KEY_POLICY);
    expect(result.text).toBe(policyText);
    expect(result.name).toBe('default');
    expect(result.message).toBe(
      'Imported the key policy "default" from aws kms get-key-policy output (1 statement).',
    );
  });

  it('lays out a key policy that AWS returns on one line', () => {
    const result = ok(importAwsJson(JSON.stringify({ Policy: JSON.stringify(KEY_POLICY) })), 'key-policy');
    expect(result.text).toBe(JSON.stringify(KEY_POLICY, null, 2));
  });

  it('tells a bare key policy (Principal) from a bare identity policy (no Principal)', () => {
    const text = JSON.stringify(KEY_POLICY);
    expect(ok(importAwsJson(text), 'key-policy').text).toBe(text);
    const identity = ok(importAwsJson(JSON.stringify(IDENTITY_POLICY)), 'identity-policy');
    expect(identity.policy).toEqual(IDENTITY_POLICY);
    expect(identity.message).toMatch(/^Imported an identity policy \(1 statement\)/);
    // A single statement object (not an array) is a valid policy too.
    expect(
      importAwsJson(
        JSON.stringify({ Statement: { Effect: 'Allow', Principal: '*', Action: 'kms:*', Resource: '*' } }),
      ),
    ).toMatchObject({
      ok: true,
      kind: 'key-policy',
    });
  });

  it('reads aws iam get-policy-version output, with the document decoded or URL-encoded', () => {
    const decoded = {
      PolicyVersion: {
        Document: IDENTITY_POLICY,
        VersionId: 'v3',
        IsDefaultVersion: true,
        CreateDate: '2026-01-02T03:04:05+00:00',
      },
    };
    const result = ok(importAwsJson(JSON.stringify(decoded)), 'identity-policy');
    expect(result.policy).toEqual(IDENTITY_POLICY);
    expect(result.message).toMatch(/version v3 of a managed IAM policy/);
    const encoded = {
      PolicyVersion: { Document: encodeURIComponent(JSON.stringify(IDENTITY_POLICY)), VersionId: 'v1' },
    };
    expect(ok(importAwsJson(JSON.stringify(encoded)), 'identity-policy').policy).toEqual(IDENTITY_POLICY);
  });

  it('reads aws iam get-role-policy and get-group-policy output', () => {
    const role = ok(
      importAwsJson(
        JSON.stringify({ RoleName: 'App-Role', PolicyName: 'use-key', PolicyDocument: IDENTITY_POLICY }),
      ),
      'identity-policy',
    );
    expect(role).toMatchObject({
      name: 'use-key',
      attachedTo: { type: 'role', name: 'App-Role' },
      source: 'aws iam get-role-policy output',
    });
    const group = ok(
      importAwsJson(JSON.stringify({ GroupName: 'Devs', PolicyName: 'p', PolicyDocument: IDENTITY_POLICY })),
      'identity-policy',
    );
    expect(group.message).toMatch(/Groups are not principals/);
  });

  it('reads an SCP or RCP from aws organizations describe-policy, and refuses other policy types', () => {
    const scp = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Deny', Action: 'kms:ScheduleKeyDeletion', Resource: '*' }],
    };
    const output = (type: string) => ({
      Policy: {
        PolicySummary: { Id: 'p-examplepolicyid111', Name: 'DenyKeyDeletion', Type: type, AwsManaged: false },
        Content: JSON.stringify(scp),
      },
    });
    expect(ok(importAwsJson(JSON.stringify(output('SERVICE_CONTROL_POLICY'))), 'scp')).toMatchObject({
      policy: scp,
      name: 'DenyKeyDeletion',
    });
    expect(ok(importAwsJson(JSON.stringify(output('RESOURCE_CONTROL_POLICY'))), 'rcp').policy).toEqual(scp);
    expect(importAwsJson(JSON.stringify(output('TAG_POLICY')))).toMatchObject({
      ok: false,
      message: expect.stringMatching(/TAG_POLICY/),
    });
  });
});

describe('importAwsJson: CloudTrail', () => {
  it('turns a denied Decrypt into a request that expects an implicit deny', () => {
    const result = ok(importAwsJson(JSON.stringify(deniedDecrypt())), 'request');
    expect(result.request).toEqual({
      id: 'cloudtrail-decrypt-c1e3a5b7',
      principal: 'arn:aws:iam::111122223333:user/bob',
      action: 'kms:Decrypt',
      keyId: KEY_ARN,
      encryptionContext: { tenant: 'acme', purpose: 'invoice-pdf' },
      sourceIp: '198.51.100.9',
      parameters: { encryptionAlgorithm: 'SYMMETRIC_DEFAULT' },
      expect: 'ImplicitDeny',
      description: expect.stringMatching(
        /^Imported from CloudTrail: arn:aws:iam::111122223333:user\/bob called Decrypt at 2026-11-28T09:20:41Z in eu-west-2 and AWS answered AccessDenied: "User: /,
      ),
    });
    expect(result.error?.code).toBe('AccessDenied');
    expect(result.message).toMatch(/key comes from the event's resources/);
  });

  it('recognises an explicit deny and a KMS exception, and expects the exception when AWS does not say which denial', () => {
    const explicit = deniedDecrypt({
      errorMessage:
        'User: arn:aws:iam::111122223333:user/bob is not authorized to perform: kms:Decrypt on resource: x with an explicit deny in a service control policy',
    });
    expect(ok(importAwsJson(JSON.stringify(explicit)), 'request').request.expect).toBe('ExplicitDeny');
    const disabled = deniedDecrypt({
      errorCode: 'DisabledException',
      errorMessage: `${KEY_ARN} is disabled.`,
    });
    expect(ok(importAwsJson(JSON.stringify(disabled)), 'request').request.expect).toBe('DisabledException');
    const vague = ok(
      importAwsJson(JSON.stringify(deniedDecrypt({ errorMessage: 'Access denied' }))),
      'request',
    );
    expect(vague.request.expect).toBe('AccessDeniedException');
    const unmodelled = ok(
      importAwsJson(JSON.stringify(deniedDecrypt({ errorCode: 'ThrottlingException' }))),
      'request',
    );
    expect(unmodelled.request.expect).toBeUndefined();
    expect(unmodelled.message).toMatch(/ThrottlingException, which the lab does not model/);
    const success = deniedDecrypt({ errorCode: undefined, errorMessage: undefined });
    expect(ok(importAwsJson(JSON.stringify(success)), 'request').request.expect).toBe('Allow');
  });

  it('maps an assumed-role session with MFA, a VPC endpoint and a calling service', () => {
    const event = deniedDecrypt({
      userIdentity: {
        type: 'AssumedRole',
        arn: 'arn:aws:sts::111122223333:assumed-role/LabAppRole/lab-session',
        accountId: '111122223333',
        invokedBy: 'secretsmanager.amazonaws.com',
        sessionContext: {
          sessionIssuer: {
            type: 'Role',
            arn: 'arn:aws:iam::111122223333:role/LabAppRole',
            userName: 'LabAppRole',
          },
          attributes: { creationDate: '2026-11-28T09:00:00Z', mfaAuthenticated: 'false' },
        },
      },
      sourceIPAddress: '10.0.12.34',
      vpcEndpointId: 'vpce-0123456789abcdef0',
      requestParameters: {
        keyId: 'alias/app-secrets',
        encryptionContext: { SecretARN: 'arn:aws:secretsmanager:eu-west-2:111122223333:secret:db-AbCdEf' },
      },
    });
    const { request, message } = ok(importAwsJson(JSON.stringify(event)), 'request');
    expect(request).toMatchObject({
      principal: 'arn:aws:sts::111122223333:assumed-role/LabAppRole/lab-session',
      keyId: 'alias/app-secrets',
      vpcEndpoint: 'vpce-0123456789abcdef0',
      viaService: 'secretsmanager.eu-west-2.amazonaws.com',
      context: { 'aws:VpcSourceIp': '10.0.12.34', 'aws:MultiFactorAuthPresent': 'false' },
    });
    expect(request.sourceIp).toBeUndefined();
    expect(message).toMatch(/VPC endpoint vpce-0123456789abcdef0/);
  });

  it('uses the account root when the trail shows only the caller account (cross-account call)', () => {
    const event = deniedDecrypt({
      userIdentity: { type: 'AWSAccount', principalId: 'AROAEXAMPLE:app', accountId: '444455556666' },
    });
    const result = ok(importAwsJson(JSON.stringify(event)), 'request');
    expect(result.request.principal).toBe('arn:aws:iam::444455556666:root');
    expect(result.message).toMatch(/replace the account root with the caller's role or user ARN/);
  });

  it('picks the failed KMS event out of a log file, skipping other services', () => {
    const s3 = {
      eventSource: 's3.amazonaws.com',
      eventName: 'GetObject',
      userIdentity: { arn: 'arn:aws:iam::111122223333:user/bob' },
    };
    const ok1 = deniedDecrypt({
      errorCode: undefined,
      errorMessage: undefined,
      eventName: 'GenerateDataKey',
    });
    const result = ok(importAwsJson(JSON.stringify({ Records: [s3, ok1, deniedDecrypt()] })), 'request');
    expect(result.request.action).toBe('kms:Decrypt');
    expect(result.message).toMatch(/the first failed of 2 KMS events/);
    expect(importAwsJson(JSON.stringify([s3]))).toMatchObject({
      ok: false,
      message: 'None of the 1 CloudTrail event is a KMS call (event source: s3.amazonaws.com).',
    });
  });

  it('reads aws cloudtrail lookup-events output', () => {
    const output = {
      Events: [{ EventId: 'c1e3', EventName: 'Decrypt', CloudTrailEvent: JSON.stringify(deniedDecrypt()) }],
    };
    expect(ok(importAwsJson(JSON.stringify(output)), 'request').source).toBe(
      'aws cloudtrail lookup-events output',
    );
  });

  it('maps CreateGrant and ReEncrypt parameters', () => {
    const grant = deniedDecrypt({
      eventName: 'CreateGrant',
      requestParameters: {
        keyId: KEY_ARN,
        granteePrincipal: 'arn:aws:iam::111122223333:role/Worker',
        operations: ['Decrypt'],
        constraints: { encryptionContextSubset: { dept: 'it' } },
      },
    });
    expect(ok(importAwsJson(JSON.stringify(grant)), 'request').request).toMatchObject({
      action: 'kms:CreateGrant',
      keyId: KEY_ARN,
      parameters: {
        granteePrincipal: 'arn:aws:iam::111122223333:role/Worker',
        operations: ['Decrypt'],
        constraints: { encryptionContextSubset: { dept: 'it' } },
      },
    });
    const reencrypt = deniedDecrypt({
      eventName: 'ReEncrypt',
      requestParameters: {
        sourceKeyId: KEY_ARN,
        destinationKeyId: 'alias/new',
        sourceEncryptionContext: { a: 'b' },
      },
    });
    const { request } = ok(importAwsJson(JSON.stringify(reencrypt)), 'request');
    expect(request).toMatchObject({
      action: 'kms:ReEncrypt',
      keyId: KEY_ARN,
      encryptionContext: { a: 'b' },
      parameters: { destinationKeyId: 'alias/new' },
    });
  });

  it('gives a request that a scenario accepts', () => {
    const { request } = ok(importAwsJson(JSON.stringify(deniedDecrypt())), 'request');
    const loaded = loadScenario(JSON.stringify({ version: 2, requests: [request] }));
    expect(loaded.ok).toBe(true);
  });
});

describe('importAwsJson: bad input', () => {
  it.each([
    ['', /empty/],
    ['{"Policy": ', /not JSON: .* at line 1, column \d+/],
    ['42', /not an object/],
    ['{"hello": "world"}', /was not recognised/],
    ['{"Policy": "not json", "PolicyName": "default"}', /"Policy" string is not a JSON object/],
    [
      JSON.stringify({ eventSource: 'kms.amazonaws.com', eventName: 'Decrypt' }),
      /does not say who made the call/,
    ],
  ])('%j', (text, message) => {
    const result = importAwsJson(text);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(message);
  });

  it('never throws', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.jsonValue().map((v) => JSON.stringify({ Records: [v] })),
        ),
        (text) => {
          const result = importAwsJson(text);
          return result.message.length > 0;
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('a scenario from a CloudTrail event', () => {
  const ROLE = 'arn:aws:iam::111122223333:role/service/PayrollApp';
  const SESSION = 'arn:aws:sts::111122223333:assumed-role/PayrollApp/i-0abc123';
  const assumedRoleEvent = deniedDecrypt({
    userIdentity: {
      type: 'AssumedRole',
      arn: SESSION,
      accountId: '111122223333',
      sessionContext: { sessionIssuer: { type: 'Role', arn: ROLE, accountId: '111122223333' } },
    },
    errorMessage: 'Access denied',
    vpcEndpointId: 'vpce-0a1b2c3d4e5f60718',
    sourceIPAddress: '10.1.2.3',
    requestParameters: { keyId: 'alias/payroll', encryptionContext: { dept: 'payroll' } },
  });
  // `aws cloudtrail lookup-events` wraps each event as a JSON string.
  const lookupOutput = {
    Events: [{ EventId: 'x', EventName: 'Decrypt', CloudTrailEvent: JSON.stringify(assumedRoleEvent) }],
  };

  it('names the key, the account and the role behind the session', () => {
    const { world } = ok(importAwsJson(JSON.stringify(lookupOutput)), 'request');
    expect(world).toEqual({
      account: '111122223333',
      keyArn: KEY_ARN,
      keyAlias: 'alias/payroll',
      principalArn: ROLE,
      sessionName: 'i-0abc123',
    });
  });

  it('names an IAM user as the principal, and finds the key in the error message when resources lack it', () => {
    const event = deniedDecrypt({ resources: undefined });
    const { world } = ok(importAwsJson(JSON.stringify(event)), 'request');
    expect(world).toMatchObject({ principalArn: 'arn:aws:iam::111122223333:user/bob', keyArn: KEY_ARN });
    expect(world.sessionName).toBeUndefined();
  });

  it('builds a scenario that evaluates the event against a placeholder key policy', () => {
    const imported = ok(importAwsJson(JSON.stringify(assumedRoleEvent)), 'request');
    const scenario = scenarioFromEvent(imported);
    expect(loadScenario(JSON.stringify(scenario), 'built').ok).toBe(true);
    expect(scenario.title).toBe('CloudTrail: kms:Decrypt by PayrollApp/i-0abc123 (AccessDenied)');
    expect(Object.keys(scenario.principals ?? {})).toEqual([ROLE]);
    expect(scenario.keys?.[KEY_ARN]).toMatchObject({
      aliases: ['alias/payroll'],
      description: expect.stringMatching(/paste the key policy here/),
      policy: placeholderKeyPolicy('111122223333'),
    });
    expect(JSON.stringify(scenario.keys?.[KEY_ARN]?.policy)).toMatch(/paste the key policy here/);
    expect(scenario.requests).toEqual([imported.request]);
    expect(imported.request).toMatchObject({
      vpcEndpoint: 'vpce-0a1b2c3d4e5f60718',
      encryptionContext: { dept: 'payroll' },
      expect: 'AccessDeniedException',
    });
    // The default key policy delegates to IAM, and the role has no IAM policy yet: denied, as AWS said.
    const [result] = evaluateScenario(scenario);
    expect(result).toMatchObject({ decision: 'ImplicitDeny', outcome: 'AccessDeniedException', pass: true });
  });

  it('adds only what the current scenario lacks', () => {
    const imported = ok(importAwsJson(JSON.stringify(assumedRoleEvent)), 'request');
    const current = {
      version: 2 as const,
      principals: { [ROLE]: { policies: [{ name: 'Mine', document: IDENTITY_POLICY }] } },
      keys: { 'arn:aws:kms:eu-west-2:111122223333:key/other': { aliases: ['alias/payroll'] } },
    };
    expect(withEventWorld(current, imported.world)).toEqual({
      scenario: { ...current, accounts: { '111122223333': {} } },
      added: ['account 111122223333'],
    });
    const empty = withEventWorld({ version: 2 }, imported.world);
    expect(empty.added).toEqual([
      'account 111122223333',
      `the key alias/payroll (${KEY_ARN}) with a placeholder policy`,
      `the role ${ROLE}`,
    ]);
  });

  it('finds the role of an assumed-role caller among the principals', () => {
    const scenario = {
      version: 2 as const,
      principals: { [ROLE]: {}, 'arn:aws:iam::111122223333:user/bob': {} },
    };
    expect(principalOfCaller(scenario, SESSION)).toBe(ROLE);
    expect(principalOfCaller(scenario, 'arn:aws:iam::111122223333:user/bob')).toBe(
      'arn:aws:iam::111122223333:user/bob',
    );
    expect(
      principalOfCaller(scenario, 'arn:aws:sts::444455556666:assumed-role/PayrollApp/x'),
    ).toBeUndefined();
  });
});
