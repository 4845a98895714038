/**
 * The JSON Schema (draft 2020-12) of the scenario format, version 2 (lab-design §2). `types.ts` is its TypeScript
 * twin; `schema.test.ts` keeps the two in step. Monaco uses this schema for the whole-scenario editor, so every
 * property has a `description`, and closed vocabularies are `enum`s (completion lists).
 *
 * The loader validates with its own small validator (`validate.ts`), which understands this subset of JSON Schema:
 * type, required, properties, additionalProperties, patternProperties, propertyNames, enum, items, pattern,
 * minLength, maxLength, minItems. `patternErrorMessage` is the VS Code/Monaco extension keyword that replaces the
 * generic "does not match pattern" message; the loader uses it too. Policy documents are free-form objects here:
 * the engine's linter checks them.
 */

/** The JSON Schema subset used by the scenario schema and understood by `validate.ts`. */
export interface JsonSchema {
  $schema?: string;
  $id?: string;
  title?: string;
  description?: string;
  type?: JsonType | JsonType[];
  enum?: readonly unknown[];
  const?: unknown;
  /** Exactly one of these must hold (the trail schema's userIdentity variants, src/kms/trail-schema.ts). */
  oneOf?: readonly JsonSchema[];
  required?: readonly string[];
  properties?: Record<string, JsonSchema>;
  patternProperties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  pattern?: string;
  patternErrorMessage?: string;
  minLength?: number;
  maxLength?: number;
  default?: unknown;
  examples?: readonly unknown[];
}

export type JsonType = 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean' | 'null';

// ---- Closed vocabularies (also used by tests to check that types.ts agrees) ----

/** Key states the lab models (KS; the multi-Region and custom-key-store states are left out). */
export const KEY_STATES = ['Enabled', 'Disabled', 'PendingDeletion', 'PendingImport'] as const;
export const KEY_MANAGERS = ['CUSTOMER', 'AWS'] as const;
/** KMS `Origin` values (kms-service-facts §2.4). */
export const KEY_ORIGINS = ['AWS_KMS', 'EXTERNAL', 'AWS_CLOUDHSM', 'EXTERNAL_KEY_STORE'] as const;
/** KMS `KeySpec` values (kms-service-facts §2.4; CreateKey API reference). */
export const KEY_SPECS = [
  'SYMMETRIC_DEFAULT',
  'HMAC_224',
  'HMAC_256',
  'HMAC_384',
  'HMAC_512',
  'RSA_2048',
  'RSA_3072',
  'RSA_4096',
  'ECC_NIST_P256',
  'ECC_NIST_P384',
  'ECC_NIST_P521',
  'ECC_SECG_P256K1',
  'ECC_NIST_EDWARDS25519',
  'ML_DSA_44',
  'ML_DSA_65',
  'ML_DSA_87',
  'SM2',
] as const;
/** KMS `KeyUsage` values (CreateKey API reference). */
export const KEY_USAGES = ['ENCRYPT_DECRYPT', 'SIGN_VERIFY', 'GENERATE_VERIFY_MAC', 'KEY_AGREEMENT'] as const;
/** The operations a grant can allow (GR: "Grant operations"; CreateGrant API `Operations`). */
export const GRANT_OPERATIONS = [
  'Decrypt',
  'Encrypt',
  'GenerateDataKey',
  'GenerateDataKeyWithoutPlaintext',
  'GenerateDataKeyPair',
  'GenerateDataKeyPairWithoutPlaintext',
  'GenerateMac',
  'VerifyMac',
  'ReEncryptFrom',
  'ReEncryptTo',
  'Sign',
  'Verify',
  'GetPublicKey',
  'DescribeKey',
  'CreateGrant',
  'RetireGrant',
  'DeriveSharedSecret',
] as const;
/** What a request may expect: a decision (lab-design §3), or the AWS exception the call fails with. */
export const EXPECT_VALUES = [
  'Allow',
  'ExplicitDeny',
  'ImplicitDeny',
  'AccessDeniedException',
  'DisabledException',
  'KMSInvalidStateException',
  'NotFoundException',
  'UnsupportedOperationException',
  'ValidationException',
  'InvalidGrantTokenException',
  'MalformedPolicyDocumentException',
  'LimitExceededException',
] as const;

// ---- Patterns (each cites the AWS page that defines the format) ----

/** Partitions: aws, aws-cn, aws-us-gov and the isolated ones (IAM identifiers page, "ARN format"). */
const PARTITION = 'aws(?:-cn|-us-gov|-iso|-iso-b|-iso-e|-iso-f|-eusc)?';
/** AWS account ids are 12 digits (IAM "AWS account identifiers"). */
export const ACCOUNT_ID_PATTERN = '^[0-9]{12}$';
/** Key ARN: arn:<partition>:kms:<region>:<account>:key/<key-id> (KMS concepts.html#key-id-key-ARN). */
export const KEY_ARN_PATTERN = `^arn:${PARTITION}:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$`;
/**
 * IAM principals the lab models: the account root, users and roles (names and paths: letters, digits, `+=,.@_-`),
 * assumed-role sessions and federated users (IAM identifiers page, "IAM ARNs"; IAM-PR).
 */
export const PRINCIPAL_ARN_PATTERN =
  `^arn:${PARTITION}:(?:iam::[0-9]{12}:(?:root|user/(?:[\\w+=,.@-]+/)*[\\w+=,.@-]+|role/(?:[\\w+=,.@-]+/)*[\\w+=,.@-]+)` +
  `|sts::[0-9]{12}:(?:assumed-role/[\\w+=,.@-]+/[\\w+=,.@-]+|federated-user/[\\w+=,.@-]+))$`;
/** Service principals, e.g. `s3.amazonaws.com` (IAM-PR "AWS service principals"). */
export const SERVICE_PRINCIPAL_PATTERN = '^[a-z0-9][a-z0-9.-]*\\.amazonaws\\.com(?:\\.cn)?$';
/**
 * Alias names: `alias/` then 1–256 characters in total of letters, digits, `/`, `_`, `-` (alias-create.html:
 * "The alias must be string of 1–256 characters. It can contain only alphanumeric characters, forward slashes,
 * underscores, and dashes").
 */
export const ALIAS_NAME_PATTERN = '^alias/[A-Za-z0-9/_-]+$';
/** VPC endpoint ids: `vpce-` followed by hex (VPC API `VpcEndpointId`). */
export const VPC_ENDPOINT_PATTERN = '^vpce-[0-9a-zA-Z]+$';
/** kms:ViaService values: `<service>.<region>.amazonaws.com` (CK "kms:ViaService"). */
export const VIA_SERVICE_PATTERN = '^[a-z0-9-]+\\.[a-z0-9-]+\\.amazonaws\\.com(?:\\.cn)?$';
/** A KMS action as IAM spells it: `kms:` + the API name; the prefix and name are case-insensitive (IAM-ACT). */
export const KMS_ACTION_PATTERN = '^[kK][mM][sS]:[A-Za-z]+$';

// ---- Building blocks ----

const stringMap = (description: string): JsonSchema => ({
  type: 'object',
  description,
  additionalProperties: { type: 'string' },
});

const policyDocument = (description: string): JsonSchema => ({
  type: 'object',
  description:
    description +
    ' A policy document: {"Version": "2012-10-17", "Statement": [...]}. Checked by the policy linter, not by this schema.',
});

const accountId: JsonSchema = {
  type: 'string',
  pattern: ACCOUNT_ID_PATTERN,
  patternErrorMessage: 'must be a 12-digit AWS account id',
};

const accountIdKeys: JsonSchema = {
  pattern: ACCOUNT_ID_PATTERN,
  patternErrorMessage: 'must be a 12-digit AWS account id',
};

/** AWS Organizations ids (Organizations API reference: Organization, Root, OrganizationalUnit). */
export const ORGANIZATION_ID_PATTERN = '^o-[a-z0-9]{10,32}$';
export const ROOT_ID_PATTERN = '^r-[0-9a-z]{4,32}$';
export const OU_ID_PATTERN = '^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$';

const orgPolicies = (kind: 'scp' | 'rcp'): JsonSchema => ({
  type: 'array',
  description:
    kind === 'scp'
      ? 'The SCPs attached here: policy documents, {"name", "document"}, or "FullAWSAccess". Omitted: FullAWSAccess (the AWS default). Every level from the root down to the caller\'s account must allow; any Deny denies.'
      : 'The RCPs attached here besides RCPFullAWSAccess, which AWS attaches everywhere and which cannot be detached: policy documents or {"name", "document"}. An RCP can only deny (customer managed keys only, not RetireGrant).',
  // AWS keeps at least one SCP on every root, OU and account (SCP page: the last one cannot be detached).
  ...(kind === 'scp' ? { minItems: 1 } : {}),
  items: {
    type: ['object', 'string'],
    description: `A policy document, {"name": "...", "document": {...}}, or "${kind === 'scp' ? 'FullAWSAccess' : 'RCPFullAWSAccess'}".`,
  },
});

const orgTarget = (description: string, extra: Record<string, JsonSchema>): JsonSchema => ({
  type: 'object',
  description,
  additionalProperties: false,
  properties: { ...extra, scps: orgPolicies('scp'), rcps: orgPolicies('rcp') },
});

const organization: JsonSchema = {
  type: 'object',
  description:
    'The AWS Organizations organization: its root, OUs and member accounts, with the SCPs and RCPs attached to each. SCPs cap principals of member accounts; RCPs cap customer managed keys in member accounts.',
  additionalProperties: false,
  properties: {
    id: {
      type: 'string',
      description:
        'The organization id (aws:PrincipalOrgID, aws:ResourceOrgID of its accounts), e.g. o-a1b2c3d4e5.',
      pattern: ORGANIZATION_ID_PATTERN,
      patternErrorMessage: 'must be an organization id: o- followed by 10 to 32 lowercase letters or digits',
    },
    rootId: {
      type: 'string',
      description:
        'The root id used in aws:PrincipalOrgPaths, e.g. r-ab12. Default: r- and the first four characters of the organization id.',
      pattern: ROOT_ID_PATTERN,
      patternErrorMessage: 'must be a root id: r- followed by 4 to 32 lowercase letters or digits',
    },
    managementAccount: {
      ...accountId,
      description:
        'The management account: SCPs do not apply to its principals, and RCPs do not apply to its keys.',
    },
    root: orgTarget('What is attached to the organization root.', {}),
    units: {
      type: 'object',
      description: 'Organizational units, keyed by OU id (ou-<root>-<8 or more characters>).',
      propertyNames: {
        pattern: OU_ID_PATTERN,
        patternErrorMessage: 'must be an OU id, e.g. ou-ab12-11111111',
      },
      additionalProperties: orgTarget('An organizational unit.', {
        name: { type: 'string', description: 'The OU name, e.g. "Workloads".' },
        parent: {
          type: 'string',
          description: 'The parent OU id. Omitted: the OU is directly under the root.',
          pattern: OU_ID_PATTERN,
          patternErrorMessage: 'must be an OU id, e.g. ou-ab12-11111111',
        },
      }),
    },
    accounts: {
      type: 'object',
      description:
        'Member accounts, keyed by account id. An account not listed here is outside the organization.',
      propertyNames: accountIdKeys,
      additionalProperties: orgTarget('A member account.', {
        unit: {
          type: 'string',
          description: 'The OU the account is in. Omitted: directly under the root.',
          pattern: OU_ID_PATTERN,
          patternErrorMessage: 'must be an OU id, e.g. ou-ab12-11111111',
        },
      }),
    },
  },
};

const principalArn = (description: string): JsonSchema => ({
  type: 'string',
  description,
  pattern: `${PRINCIPAL_ARN_PATTERN}|${SERVICE_PRINCIPAL_PATTERN}`,
  patternErrorMessage:
    'must be a principal ARN (arn:aws:iam::<account>:root|user/<name>|role/<name>, arn:aws:sts::<account>:assumed-role/<role>/<session>) or a service principal (<service>.amazonaws.com)',
});

const encryptionContext = (description: string): JsonSchema => stringMap(description);

// ---- The schema ----

export const SCENARIO_SCHEMA_ID = 'https://kms-policy-lab.local/schemas/scenario-v2.json';

export const scenarioSchema: JsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: SCENARIO_SCHEMA_ID,
  title: 'KMS Policy Lab scenario (version 2)',
  description:
    'A world (accounts, principals, keys, grants, guardrails, VPC endpoints) and the requests to evaluate in it.',
  type: 'object',
  required: ['version'],
  additionalProperties: false,
  properties: {
    $schema: { type: 'string', description: 'Optional: the URL of this schema, for editors.' },
    version: {
      type: 'integer',
      enum: [2],
      description: 'The scenario format version. This lab writes version 2 (and migrates older files).',
    },
    title: { type: 'string', description: 'A short title shown in the lab and in CLI output.' },
    description: {
      type: 'string',
      description: 'Markdown shown beside the lab: the lesson this scenario teaches.',
    },
    accounts: {
      type: 'object',
      description: 'Optional labels for AWS accounts, keyed by 12-digit account id.',
      propertyNames: accountIdKeys,
      additionalProperties: {
        type: 'object',
        description: 'An AWS account.',
        additionalProperties: false,
        properties: {
          name: { type: 'string', description: 'A label for people, e.g. "Security".' },
          organizationId: {
            type: 'string',
            description:
              'The AWS Organizations id of the account (aws:PrincipalOrgID / aws:ResourceOrgID), e.g. o-a1b2c3d4e5.',
            pattern: '^o-[a-z0-9]{10,32}$',
            patternErrorMessage:
              'must be an organization id: o- followed by 10 to 32 lowercase letters or digits',
          },
        },
      },
    },
    organization,
    principals: {
      type: 'object',
      description:
        'IAM identities (users and roles) and their policies, keyed by ARN. A session ARN in a request takes the policies of its role. A request principal not listed here has no IAM policies.',
      propertyNames: {
        pattern: PRINCIPAL_ARN_PATTERN,
        patternErrorMessage:
          'must be an IAM principal ARN: arn:aws:iam::<account>:user/<name>, arn:aws:iam::<account>:role/<name>, arn:aws:iam::<account>:root or an arn:aws:sts:: session ARN',
      },
      additionalProperties: {
        type: 'object',
        description: 'An IAM user or role.',
        additionalProperties: false,
        properties: {
          policies: {
            type: 'array',
            description:
              'Identity policies (managed and inline): each a policy document, or {"name": "...", "document": {...}}.',
            items: policyDocument('An identity policy, bare or as {"name", "document"}.'),
          },
          permissionsBoundary: policyDocument(
            'The permissions boundary: it caps what identity policies allow.',
          ),
          tags: stringMap('Principal tags (aws:PrincipalTag/<key>).'),
        },
      },
    },
    keys: {
      type: 'object',
      description: 'KMS keys, keyed by key ARN (arn:aws:kms:<region>:<account>:key/<key-id>).',
      propertyNames: {
        pattern: KEY_ARN_PATTERN,
        patternErrorMessage: 'must be a key ARN: arn:aws:kms:<region>:<account>:key/<key-id>',
      },
      additionalProperties: {
        type: 'object',
        description: 'A KMS key.',
        additionalProperties: false,
        properties: {
          description: { type: 'string', description: 'The key description.' },
          manager: {
            type: 'string',
            enum: KEY_MANAGERS,
            default: 'CUSTOMER',
            description:
              'CUSTOMER (you manage the key and its policy) or AWS (an AWS managed key: used only through its service; RCPs do not apply).',
          },
          state: {
            type: 'string',
            enum: KEY_STATES,
            default: 'Enabled',
            description: 'The key state. Operations a state does not allow fail after authorization (KS).',
          },
          origin: {
            type: 'string',
            enum: KEY_ORIGINS,
            default: 'AWS_KMS',
            description: 'Where the key material comes from.',
          },
          keySpec: {
            type: 'string',
            enum: KEY_SPECS,
            default: 'SYMMETRIC_DEFAULT',
            description: 'The key spec (kms:KeySpec).',
          },
          keyUsage: {
            type: 'string',
            enum: KEY_USAGES,
            default: 'ENCRYPT_DECRYPT',
            description: 'The key usage (kms:KeyUsage).',
          },
          multiRegion: { type: 'boolean', description: 'A multi-Region key (kms:MultiRegion).' },
          aliases: {
            type: 'array',
            description: 'Alias names that point at this key, e.g. "alias/payroll" (kms:ResourceAliases).',
            items: {
              type: 'string',
              pattern: ALIAS_NAME_PATTERN,
              maxLength: 256,
              patternErrorMessage:
                'must be an alias name: "alias/" followed by letters, digits, "/", "_" or "-" (e.g. alias/payroll)',
            },
          },
          tags: stringMap('Resource tags (aws:ResourceTag/<key>).'),
          policy: policyDocument('The key policy. Without one, the key has no policy statements at all.'),
        },
      },
    },
    grants: {
      type: 'array',
      description: 'Grants on the keys of this scenario.',
      items: {
        type: 'object',
        description: 'A grant: it allows the grantee the listed operations on one key.',
        required: ['grantId', 'keyArn', 'granteePrincipal', 'operations'],
        additionalProperties: false,
        properties: {
          grantId: { type: 'string', minLength: 1, description: 'The grant id.' },
          keyArn: {
            type: 'string',
            description: 'The key this grant is on: the ARN of a key under "keys".',
            pattern: KEY_ARN_PATTERN,
            patternErrorMessage: 'must be a key ARN: arn:aws:kms:<region>:<account>:key/<key-id>',
          },
          granteePrincipal: principalArn('Who may use the grant (an account, user, role or session ARN).'),
          retiringPrincipal: principalArn('Who may retire the grant.'),
          operations: {
            type: 'array',
            minItems: 1,
            description: 'The operations the grant allows (API names without the kms: prefix).',
            items: { type: 'string', enum: GRANT_OPERATIONS },
          },
          constraints: {
            type: 'object',
            description: 'Encryption-context constraints; matched case-sensitively (GC).',
            additionalProperties: false,
            properties: {
              encryptionContextSubset: encryptionContext(
                'The request encryption context must include every one of these pairs.',
              ),
              encryptionContextEquals: encryptionContext(
                'The request encryption context must be exactly these pairs.',
              ),
            },
          },
          issuingAccount: {
            ...accountId,
            description: 'The account in which the grant was created (default: the key account).',
          },
          name: { type: 'string', description: 'The grant name.' },
          propagated: {
            type: 'boolean',
            default: true,
            description:
              'Lab model of eventual consistency: false means the grant is not yet in effect and works only with its grant token.',
          },
          grantToken: { type: 'string', description: 'The grant token CreateGrant returned.' },
        },
      },
    },
    vpcEndpoints: {
      type: 'object',
      description: 'Interface VPC endpoints for KMS, keyed by endpoint id (vpce-...).',
      propertyNames: {
        pattern: VPC_ENDPOINT_PATTERN,
        patternErrorMessage: 'must be a VPC endpoint id: vpce- followed by letters and digits',
      },
      additionalProperties: {
        type: 'object',
        description: 'A VPC endpoint.',
        additionalProperties: false,
        properties: {
          vpcId: { type: 'string', description: 'The VPC of the endpoint (aws:SourceVpc).' },
          policy: policyDocument('The endpoint policy. Without one, the default policy allows everything.'),
        },
      },
    },
    requests: {
      type: 'array',
      description: 'The requests to evaluate.',
      items: {
        type: 'object',
        description: 'A KMS API call by one principal.',
        required: ['id', 'principal', 'action'],
        additionalProperties: false,
        properties: {
          id: { type: 'string', minLength: 1, description: 'A unique id within the scenario.' },
          description: { type: 'string', description: 'A note shown beside the request.' },
          principal: principalArn(
            'The caller: a user, role, session or account root ARN (or a service principal).',
          ),
          action: {
            type: 'string',
            description: 'The KMS action, e.g. kms:Decrypt.',
            pattern: KMS_ACTION_PATTERN,
            patternErrorMessage: 'must be a KMS action such as kms:Decrypt',
          },
          keyId: {
            type: 'string',
            minLength: 1,
            description:
              'The KeyId as the caller wrote it: key id, key ARN, alias name or alias ARN. Omit it for actions that use no key.',
          },
          encryptionContext: encryptionContext(
            'The encryption context of the request (kms:EncryptionContext:<key>).',
          ),
          grantTokens: {
            type: 'array',
            description: 'Grant tokens passed with the request.',
            items: { type: 'string' },
          },
          sourceIp: { type: 'string', description: 'The caller IP address (aws:SourceIp), IPv4 or IPv6.' },
          vpcEndpoint: {
            type: 'string',
            description:
              'The call came through this VPC endpoint (aws:SourceVpce); then aws:SourceIp is absent.',
            pattern: VPC_ENDPOINT_PATTERN,
            patternErrorMessage: 'must be a VPC endpoint id: vpce- followed by letters and digits',
          },
          viaService: {
            type: 'string',
            description:
              'An AWS service called KMS for the principal (kms:ViaService), e.g. s3.us-east-1.amazonaws.com.',
            pattern: VIA_SERVICE_PATTERN,
            patternErrorMessage: 'must be <service>.<region>.amazonaws.com, e.g. s3.us-east-1.amazonaws.com',
          },
          sessionPolicy: policyDocument('The session policy passed when the role was assumed.'),
          parameters: {
            type: 'object',
            description:
              'Operation-specific parameters: the grant to create, a grantId, an alias name, a destination key…',
          },
          context: {
            type: 'object',
            description: 'Extra or overriding condition keys, e.g. {"aws:MultiFactorAuthPresent": "true"}.',
            additionalProperties: {
              type: ['string', 'array'],
              description: 'One value, or several for a multi-valued key.',
              items: { type: 'string' },
            },
          },
          expect: {
            type: 'string',
            enum: EXPECT_VALUES,
            description:
              'The expected result: a decision (Allow, ExplicitDeny, ImplicitDeny) or the AWS exception the call fails with.',
          },
        },
      },
    },
  },
};
