/**
 * The scenario format, version 1 (lab-design §2): one JSON document that describes a world (accounts,
 * principals, keys, grants, guardrails, endpoints) and the requests to evaluate in it. The CLI, share links,
 * lessons, the lab UI and the tests all use it. The JSON Schema beside this file is the validating twin of
 * these types; keep the two in step.
 */

/** A policy document as JSON (validated by the linter, not by the scenario schema). */
export type PolicyDocument = Record<string, unknown>;

/** An identity policy may be given bare or with a name (like an IAM managed or inline policy name). */
export type NamedPolicy = PolicyDocument | { name: string; document: PolicyDocument };

export const SCENARIO_VERSION = 1;

export interface Scenario {
  /** Optional URL of the JSON Schema, for editors. */
  $schema?: string;
  version: 1;
  title?: string;
  description?: string;
  accounts?: Record<string, { name?: string; organizationId?: string }>;
  organization?: {
    /** SCPs per account, in order from the organization root down to the account. */
    scps?: Record<string, PolicyDocument[]>;
    rcps?: Record<string, PolicyDocument[]>;
  };
  principals?: Record<string, PrincipalSpec>;
  keys?: Record<string, KeySpecEntry>;
  grants?: GrantSpec[];
  vpcEndpoints?: Record<string, { vpcId?: string; policy?: PolicyDocument }>;
  requests?: RequestSpec[];
}

export interface PrincipalSpec {
  policies?: NamedPolicy[];
  permissionsBoundary?: PolicyDocument;
  tags?: Record<string, string>;
}

export type KeyManager = 'CUSTOMER' | 'AWS';
export type KeyState = 'Enabled' | 'Disabled' | 'PendingDeletion' | 'PendingImport';
export type KeyOrigin = 'AWS_KMS' | 'EXTERNAL' | 'AWS_CLOUDHSM' | 'EXTERNAL_KEY_STORE';

export interface KeySpecEntry {
  description?: string;
  manager?: KeyManager; // default CUSTOMER
  state?: KeyState; // default Enabled
  origin?: KeyOrigin; // default AWS_KMS
  keySpec?: string; // default SYMMETRIC_DEFAULT
  keyUsage?: string; // default ENCRYPT_DECRYPT
  multiRegion?: boolean;
  aliases?: string[];
  tags?: Record<string, string>;
  policy?: PolicyDocument;
}

export interface GrantSpec {
  grantId: string;
  keyArn: string;
  granteePrincipal: string;
  retiringPrincipal?: string;
  operations: string[];
  constraints?: {
    encryptionContextSubset?: Record<string, string>;
    encryptionContextEquals?: Record<string, string>;
  };
  /** The account in which the grant was created (defaults to the key's account). */
  issuingAccount?: string;
  name?: string;
  /** Lab model of eventual consistency: a grant not yet propagated works only with its token (GR). */
  propagated?: boolean; // default true
  grantToken?: string;
}

export type ExpectedOutcome = 'Allow' | 'ExplicitDeny' | 'ImplicitDeny' | string;

export interface RequestSpec {
  id: string;
  principal: string;
  action: string;
  keyId?: string;
  encryptionContext?: Record<string, string>;
  grantTokens?: string[];
  sourceIp?: string;
  vpcEndpoint?: string;
  viaService?: string;
  sessionPolicy?: PolicyDocument;
  parameters?: Record<string, unknown>;
  context?: Record<string, string | string[]>;
  expect?: ExpectedOutcome;
  /** Optional note shown beside the request. */
  description?: string;
}
