/**
 * CloudTrail records as AWS writes them (kms-service-facts §3.1–3.3: CloudTrail record contents and userIdentity
 * element), built for tests and the replay benchmark. Not used by the replay itself.
 */

export interface EventSpec {
  /** The caller: an IAM user, role session, root or cross-account (account-only) identity, or an AWS service. */
  caller: string | { accountOnly: string } | { service: string };
  /** The KMS operation, e.g. `Decrypt`. */
  eventName: string;
  keyArn?: string;
  /** The KeyId as the caller wrote it (defaults to none for Decrypt, the key ARN otherwise). */
  keyId?: string;
  encryptionContext?: Record<string, string>;
  grantTokens?: string[];
  sourceIp?: string;
  vpcEndpointId?: string;
  /** A service that called KMS for the caller, as CloudTrail names it (`s3.amazonaws.com`). */
  invokedBy?: string;
  errorCode?: string;
  errorMessage?: string;
  eventTime?: string;
  eventId?: string;
  region?: string;
  mfa?: boolean;
  eventSource?: string;
  /** More requestParameters (CreateGrant's granteePrincipal…). */
  parameters?: Record<string, unknown>;
}

const SDK_AGENT =
  'aws-sdk-java/2.25.16 Linux/5.10.219-208.866.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/17.0.11+9-LTS';

function userIdentity(spec: EventSpec): Record<string, unknown> {
  const caller = spec.caller;
  if (typeof caller !== 'string') {
    if ('service' in caller) return { type: 'AWSService', invokedBy: caller.service };
    return {
      type: 'AWSAccount',
      principalId: 'AROAEXAMPLEPARTNER:partner-session',
      accountId: caller.accountOnly,
    };
  }
  const account = caller.split(':')[4];
  const base = {
    invokedBy: spec.invokedBy,
  };
  const assumed = caller.match(/^arn:aws:sts::(\d{12}):assumed-role\/([^/]+)\/(.+)$/);
  if (assumed) {
    const [, , role, session] = assumed;
    return {
      type: 'AssumedRole',
      principalId: `AROAEXAMPLE${role.toUpperCase().replace(/[^A-Z0-9]/g, '')}:${session}`,
      arn: caller,
      accountId: account,
      accessKeyId: `ASIA${session
        .toUpperCase()
        .replace(/[^A-Z0-9]/g, '')
        .padEnd(16, 'X')
        .slice(0, 16)}`,
      sessionContext: {
        sessionIssuer: {
          type: 'Role',
          principalId: `AROAEXAMPLE${role.toUpperCase().replace(/[^A-Z0-9]/g, '')}`,
          arn: `arn:aws:iam::${account}:role/${role}`,
          accountId: account,
          userName: role,
        },
        webIdFederationData: {},
        attributes: { creationDate: '2026-11-28T09:00:00Z', mfaAuthenticated: spec.mfa ? 'true' : 'false' },
      },
      ...base,
    };
  }
  if (caller.endsWith(':root'))
    return {
      type: 'Root',
      principalId: account,
      arn: caller,
      accountId: account,
      accessKeyId: 'AKIAEXAMPLEROOT',
      ...base,
    };
  return {
    type: 'IAMUser',
    principalId: 'AIDAEXAMPLEUSER',
    arn: caller,
    accountId: account,
    accessKeyId: 'AKIAEXAMPLEUSER',
    userName: caller.split('/').pop(),
    ...base,
  };
}

/** One CloudTrail record of a KMS call (or of another service with `eventSource`). */
export function cloudTrailEvent(spec: EventSpec): Record<string, unknown> {
  const region = spec.region ?? 'us-east-1';
  const keyId = spec.keyId ?? (spec.eventName === 'Decrypt' ? undefined : spec.keyArn);
  const requestParameters: Record<string, unknown> = {
    ...(keyId ? { keyId } : {}),
    ...(spec.eventName === 'Decrypt' ||
    spec.eventName === 'Encrypt' ||
    spec.eventName.startsWith('GenerateDataKey')
      ? { encryptionAlgorithm: 'SYMMETRIC_DEFAULT' }
      : {}),
    ...(spec.encryptionContext ? { encryptionContext: spec.encryptionContext } : {}),
    ...(spec.grantTokens ? { grantTokens: spec.grantTokens } : {}),
    ...spec.parameters,
  };
  const record: Record<string, unknown> = {
    eventVersion: '1.11',
    userIdentity: userIdentity(spec),
    eventTime: spec.eventTime ?? '2026-11-28T09:14:03Z',
    eventSource: spec.eventSource ?? 'kms.amazonaws.com',
    eventName: spec.eventName,
    awsRegion: region,
    sourceIPAddress: spec.invokedBy ?? spec.sourceIp ?? '198.51.100.7',
    userAgent: spec.invokedBy ?? SDK_AGENT,
    ...(spec.errorCode ? { errorCode: spec.errorCode, errorMessage: spec.errorMessage ?? 'denied' } : {}),
    requestParameters,
    responseElements: null,
    additionalEventData: {
      keyMaterialId: '5c9c3f1bd1e2a1f4b5e8a0c6d7f9e2b4a3c1d5e7f9b2a4c6e8d0f1a3b5c7e9d1',
    },
    requestID: `6f1c2a9e-3b7d-4e53-9d1e-${(spec.eventId ?? '2c0f6a8b5e11').slice(-12)}`,
    eventID: spec.eventId ?? '0b9e7d44-1a2f-4c8e-8f3a-7d6c5b4a3f20',
    readOnly: true,
    resources: spec.keyArn
      ? [{ accountId: spec.keyArn.split(':')[4], type: 'AWS::KMS::Key', ARN: spec.keyArn }]
      : undefined,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: spec.keyArn ? spec.keyArn.split(':')[4] : '111122223333',
    ...(spec.vpcEndpointId
      ? { vpcEndpointId: spec.vpcEndpointId, vpcEndpointAccountId: '111122223333' }
      : {}),
    eventCategory: 'Management',
    tlsDetails: {
      tlsVersion: 'TLSv1.3',
      cipherSuite: 'TLS_AES_128_GCM_SHA256',
      clientProvidedHostHeader: `kms.${region}.amazonaws.com`,
      keyExchange: 'X25519MLKEM768',
    },
  };
  if (record.resources === undefined) delete record.resources;
  return record;
}

/** A CloudTrail log file as delivered: `{"Records":[…]}` on one line. */
export function cloudTrailFile(records: unknown[]): string {
  return JSON.stringify({ Records: records });
}

/** `aws cloudtrail lookup-events` output: each record as a JSON string, laid out as the AWS CLI prints it. */
export function lookupEventsOutput(records: Record<string, unknown>[]): string {
  return JSON.stringify(
    {
      Events: records.map((record) => ({
        EventId: record.eventID,
        EventName: record.eventName,
        ReadOnly: 'true',
        EventTime: record.eventTime,
        EventSource: record.eventSource,
        Username: 'session',
        Resources: [],
        CloudTrailEvent: JSON.stringify(record),
      })),
      NextToken: 'eyJOZXh0VG9rZW4iOiBudWxsfQ==',
    },
    null,
    4,
  );
}
