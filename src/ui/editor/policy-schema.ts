/**
 * JSON Schemas for the policy editors (lab-design §6: each model gets its own schema). They drive the JSON
 * language's completion and hover for the policy elements and Effect, and flag a missing or forbidden
 * Principal while the learner types. The linter (src/engine/lint) remains the judge of everything else.
 */
import type { PolicyType } from '../../engine/types';

/** The statement elements, with the one-line help shown in completion and hover. */
export const STATEMENT_ELEMENTS: { name: string; description: string }[] = [
  { name: 'Sid', description: 'An optional statement id, unique within the policy.' },
  { name: 'Effect', description: '"Allow" or "Deny". An explicit Deny in any policy overrides every Allow.' },
  {
    name: 'Principal',
    description: 'Who the statement applies to (resource policies only: key, RCP, VPC endpoint).',
  },
  {
    name: 'NotPrincipal',
    description: 'Everyone except the listed principals. Avoid it; prefer an aws:PrincipalArn condition.',
  },
  { name: 'Action', description: 'The actions the statement covers, e.g. "kms:Decrypt" or "kms:Generate*".' },
  { name: 'NotAction', description: 'Every action except the listed ones.' },
  {
    name: 'Resource',
    description: 'The resources the statement covers. In a key policy, "*" means this key.',
  },
  { name: 'NotResource', description: 'Every resource except the listed ones.' },
  {
    name: 'Condition',
    description: 'Conditions on the request context: { "Operator": { "key": value or [values] } }.',
  },
];

/** Policy types whose statements must name a principal (resource-based policies), by source. */
const PRINCIPAL_REQUIRED: ReadonlySet<PolicyType> = new Set<PolicyType>([
  'key', // KPO: Principal is required in key-policy statements
  'rcp', // RCPK: RCP statements name the principals they restrict ("*")
  'endpoint', // VPCE: endpoint policies have Principal, Action, Resource
]);

type Schema = Record<string, unknown>;

const stringOrStrings: Schema = {
  anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
};

function description(name: string): string {
  return STATEMENT_ELEMENTS.find((e) => e.name === name)?.description ?? '';
}

const principalValue: Schema = {
  description: description('Principal'),
  anyOf: [
    { const: '*' },
    {
      type: 'object',
      properties: {
        AWS: {
          ...stringOrStrings,
          description: 'Account ids or ARNs of accounts, users, roles or sessions.',
        },
        Service: {
          ...stringOrStrings,
          description: 'Service principals, e.g. "logs.us-east-1.amazonaws.com".',
        },
        Federated: { ...stringOrStrings, description: 'An identity provider.' },
        CanonicalUser: { ...stringOrStrings, description: 'A canonical user id (S3).' },
      },
      additionalProperties: false,
    },
  ],
};

function statementSchema(type: PolicyType): Schema {
  const principalAllowed = PRINCIPAL_REQUIRED.has(type);
  // Never offered; the linter says why it is refused (UNSUPPORTED_PRINCIPAL).
  const forbidden: Schema = { not: {}, doNotSuggest: true };
  const requirements: Schema[] = [{ anyOf: [{ required: ['Action'] }, { required: ['NotAction'] }] }];
  if (principalAllowed)
    requirements.push({ anyOf: [{ required: ['Principal'] }, { required: ['NotPrincipal'] }] });
  return {
    type: 'object',
    properties: {
      Sid: { type: 'string', description: description('Sid') },
      Effect: { enum: ['Allow', 'Deny'], description: description('Effect') },
      Principal: principalAllowed ? principalValue : forbidden,
      NotPrincipal: principalAllowed
        ? { ...principalValue, description: description('NotPrincipal') }
        : forbidden,
      Action: { ...stringOrStrings, description: description('Action') },
      NotAction: { ...stringOrStrings, description: description('NotAction') },
      Resource: { ...stringOrStrings, description: description('Resource') },
      NotResource: { ...stringOrStrings, description: description('NotResource') },
      Condition: {
        type: 'object',
        description: description('Condition'),
        additionalProperties: {
          type: 'object',
          additionalProperties: {
            anyOf: [
              { type: ['string', 'boolean', 'number'] },
              { type: 'array', items: { type: ['string', 'boolean', 'number'] } },
            ],
          },
        },
      },
    },
    required: ['Effect'],
    allOf: requirements,
    additionalProperties: false,
  };
}

/** The JSON Schema of one policy type. */
export function policySchema(type: PolicyType): Schema {
  const statement = statementSchema(type);
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: `${type} policy`,
    type: 'object',
    properties: {
      Version: {
        enum: ['2012-10-17', '2008-10-17'],
        description: 'The policy language version. Use "2012-10-17": policy variables need it.',
      },
      Id: { type: 'string', description: 'An optional id for the policy.' },
      Statement: {
        description: 'One statement object, or an array of them.',
        anyOf: [statement, { type: 'array', items: statement }],
      },
    },
    required: ['Statement'],
    additionalProperties: false,
  };
}

/** True when statements of this policy type must name a principal. */
export function requiresPrincipal(type: PolicyType): boolean {
  return PRINCIPAL_REQUIRED.has(type);
}
