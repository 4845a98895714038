/**
 * A JSON Schema (draft 2020-12) of the CloudTrail record the simulated KMS writes (facts §3; CloudTrail "record
 * contents" and "userIdentity element"): a KMS API call, or one of KMS's own service events (RotateKey, DeleteKey,
 * DeleteExpiredKeyMaterial). Objects are closed: a field the schema does not name is a violation, so the schema
 * says exactly what the simulator writes (AWS fields it never writes, such as tlsDetails, are allowed where AWS
 * puts them). `validateTrailRecord` checks a record with the scenario module's validator.
 */
import type { JsonSchema } from '../scenario/schema';
import { unknownProperties, validateAgainstSchema, type SchemaViolation } from '../scenario/validate';

const text: JsonSchema = { type: 'string', minLength: 1 };
const account: JsonSchema = { type: 'string', pattern: '^\\d{12}$' };
const uuid: JsonSchema = {
  type: 'string',
  pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$',
};
/** API RotationsListEntry: KeyMaterialId is 64 lowercase hex. */
const materialId: JsonSchema = { type: 'string', pattern: '^[0-9a-f]{64}$' };
const partition = 'arn:aws(?:-cn|-us-gov)?';
const keyArn: JsonSchema = {
  type: 'string',
  pattern: `^${partition}:kms:[a-z0-9-]+:\\d{12}:key/[A-Za-z0-9-]+$`,
};
/** A service's host name (`secretsmanager.amazonaws.com`) when it called KMS for the principal. */
const serviceHost: JsonSchema = {
  type: 'string',
  pattern: '^[a-z0-9-]+(?:\\.[a-z0-9-]+)*\\.amazonaws\\.com$',
};
/** CloudTrail echoes members in lowerCamelCase (facts §3.1). */
const camelCaseMembers: JsonSchema = {
  type: ['object', 'null'],
  propertyNames: { type: 'string', pattern: '^[a-z][A-Za-z0-9]*$' },
};

function closed(required: string[], properties: Record<string, JsonSchema>): JsonSchema {
  return { type: 'object', required, properties, additionalProperties: false };
}

// ---- userIdentity (CloudTrail userIdentity element) ----

const callerOptional: Record<string, JsonSchema> = {
  accessKeyId: { type: 'string', pattern: '^(?:AKIA|ASIA)[A-Z0-9]{12,}$' },
  invokedBy: serviceHost,
};

const iamUser = closed(['type', 'principalId', 'arn', 'accountId', 'userName'], {
  type: { const: 'IAMUser' },
  principalId: { type: 'string', pattern: '^AIDA[A-Z0-9]+$' },
  arn: { type: 'string', pattern: `^${partition}:iam::\\d{12}:user/.+$` },
  accountId: account,
  userName: text,
  ...callerOptional,
});

const assumedRole = closed(['type', 'principalId', 'arn', 'accountId', 'sessionContext'], {
  type: { const: 'AssumedRole' },
  principalId: { type: 'string', pattern: '^AROA[A-Z0-9]+:.+$' },
  arn: { type: 'string', pattern: `^${partition}:sts::\\d{12}:assumed-role/[^/]+/.+$` },
  accountId: account,
  sessionContext: closed(['sessionIssuer', 'attributes'], {
    sessionIssuer: closed(['type', 'principalId', 'arn', 'accountId', 'userName'], {
      type: { const: 'Role' },
      principalId: { type: 'string', pattern: '^AROA[A-Z0-9]+$' },
      arn: { type: 'string', pattern: `^${partition}:iam::\\d{12}:role/.+$` },
      accountId: account,
      userName: text,
    }),
    attributes: closed(['mfaAuthenticated'], {
      creationDate: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z$' },
      mfaAuthenticated: { type: 'string', enum: ['true', 'false'] },
    }),
    sourceIdentity: text,
  }),
  ...callerOptional,
});

const root = closed(['type', 'principalId', 'arn', 'accountId'], {
  type: { const: 'Root' },
  principalId: account,
  arn: { type: 'string', pattern: `^${partition}:iam::\\d{12}:root$` },
  accountId: account,
  ...callerOptional,
});

const role = closed(['type', 'principalId', 'arn', 'accountId'], {
  type: { const: 'Role' },
  principalId: { type: 'string', pattern: '^AROA[A-Z0-9]+$' },
  arn: { type: 'string', pattern: `^${partition}:iam::\\d{12}:role/.+$` },
  accountId: account,
  ...callerOptional,
});

/** In the key owner's trail, a caller of another account may be shown by its account alone. */
const awsAccount = closed(['type', 'accountId'], {
  type: { const: 'AWSAccount' },
  principalId: text,
  accountId: account,
  invokedBy: serviceHost,
});

/** A service principal calling KMS itself. */
const awsService = closed(['type', 'invokedBy'], {
  type: { const: 'AWSService' },
  invokedBy: text,
  accessKeyId: text,
});

/** KMS's own actions on the clock (facts §3.4). */
const kmsInternal = closed(['accountId', 'invokedBy'], {
  accountId: account,
  invokedBy: { const: 'AWS Internal' },
});

// ---- the record ----

const shared: Record<string, JsonSchema> = {
  eventVersion: { type: 'string', pattern: '^1\\.(?:0|[1-9]\\d*)$' },
  eventTime: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z$' },
  eventSource: { const: 'kms.amazonaws.com' },
  awsRegion: { type: 'string', pattern: '^[a-z]{2}(?:-[a-z]+)+-\\d+$' },
  requestID: uuid,
  eventID: uuid,
  resources: {
    type: 'array',
    items: closed(['accountId', 'type', 'ARN'], {
      accountId: account,
      type: { const: 'AWS::KMS::Key' },
      ARN: keyArn,
    }),
  },
  managementEvent: { const: true },
  recipientAccountId: account,
  eventCategory: { const: 'Management' },
};

const REQUIRED = [
  'eventVersion',
  'userIdentity',
  'eventTime',
  'eventSource',
  'eventName',
  'awsRegion',
  'sourceIPAddress',
  'userAgent',
  'requestParameters',
  'responseElements',
  'requestID',
  'eventID',
  'readOnly',
  'eventType',
  'managementEvent',
  'recipientAccountId',
  'eventCategory',
];

const apiCall = closed(REQUIRED, {
  ...shared,
  userIdentity: { type: 'object', oneOf: [iamUser, assumedRole, root, role, awsAccount, awsService] },
  eventName: { type: 'string', pattern: '^[A-Z][A-Za-z]+$' },
  /** An IP address, or the calling service's host name. */
  sourceIPAddress: text,
  userAgent: text,
  /** Present on failures only: the exception name (AccessDenied for a denial, facts §3.3). */
  errorCode: { type: 'string', pattern: '^[A-Za-z][A-Za-z.]*$' },
  errorMessage: { type: 'string' },
  requestParameters: camelCaseMembers,
  responseElements: camelCaseMembers,
  additionalEventData: closed([], {
    keyMaterialId: materialId,
    sourceKeyMaterialId: materialId,
    destinationKeyMaterialId: materialId,
    customKeyStoreId: text,
  }),
  readOnly: { type: 'boolean' },
  eventType: { const: 'AwsApiCall' },
  /** The records of one call delivered to several accounts (another account's key) share it. */
  sharedEventID: uuid,
  /** The VPC endpoint a call came through. */
  vpcEndpointId: { type: 'string', pattern: '^vpce-[0-9a-zA-Z]+$' },
  vpcEndpointAccountId: account,
  tlsDetails: closed([], {
    tlsVersion: text,
    cipherSuite: text,
    clientProvidedHostHeader: text,
    keyExchange: text,
  }),
  sessionCredentialFromConsole: { const: 'true' },
});

const serviceEvent = closed([...REQUIRED, 'serviceEventDetails'], {
  ...shared,
  userIdentity: kmsInternal,
  eventName: { type: 'string', enum: ['RotateKey', 'DeleteKey', 'DeleteExpiredKeyMaterial'] },
  sourceIPAddress: { const: 'AWS Internal' },
  userAgent: { const: 'AWS Internal' },
  requestParameters: { type: 'null' },
  responseElements: { type: 'null' },
  readOnly: { const: false },
  eventType: { const: 'AwsServiceEvent' },
  serviceEventDetails: closed(['keyId'], {
    keyId: { type: 'string', pattern: '^[A-Za-z0-9-]+$' },
    keyMaterialId: materialId,
  }),
});

export const CLOUDTRAIL_RECORD_SCHEMA: JsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://kms-policy-lab.example/schemas/cloudtrail-kms-record.json',
  title: 'A CloudTrail record of the simulated KMS',
  description:
    'An AWS KMS API call (eventType AwsApiCall) or a KMS service event (AwsServiceEvent: RotateKey, DeleteKey, DeleteExpiredKeyMaterial), as the lab writes them.',
  type: 'object',
  oneOf: [apiCall, serviceEvent],
};

/** Every way a record departs from the schema (wrong values and fields it does not name), with JSON paths. */
export function validateTrailRecord(record: unknown): SchemaViolation[] {
  return [
    ...validateAgainstSchema(record, CLOUDTRAIL_RECORD_SCHEMA),
    ...unknownProperties(record, CLOUDTRAIL_RECORD_SCHEMA),
  ];
}
