/**
 * The scenario format, version 2 (lab-design §2; version 2 replaced version 1's per-account guardrail lists with
 * the organization's tree, see `Organization`): one JSON document that describes a world (accounts,
 * principals, keys, grants, guardrails, endpoints) and the requests to evaluate in it. The CLI, share links,
 * lessons, the lab UI and the tests all use it. The JSON Schema beside this file is the validating twin of
 * these types; keep the two in step.
 */

/** A policy document as JSON (validated by the linter, not by the scenario schema). */
export type PolicyDocument = Record<string, unknown>;

/** An identity policy may be given bare or with a name (like an IAM managed or inline policy name). */
export type NamedPolicy = PolicyDocument | { name: string; document: PolicyDocument };

export const SCENARIO_VERSION = 2;

export interface Scenario {
  /** Optional URL of the JSON Schema, for editors. */
  $schema?: string;
  version: typeof SCENARIO_VERSION;
  title?: string;
  description?: string;
  accounts?: Record<string, { name?: string; organizationId?: string }>;
  organization?: Organization;
  principals?: Record<string, PrincipalSpec>;
  keys?: Record<string, KeySpecEntry>;
  grants?: GrantSpec[];
  vpcEndpoints?: Record<string, { vpcId?: string; policy?: PolicyDocument }>;
  requests?: RequestSpec[];
}

/**
 * One AWS Organizations organization as it is configured: the root, its OUs and its member accounts, each with
 * the SCPs and RCPs attached to it. An account not listed (and not the management account) is outside the
 * organization: no SCP or RCP applies to it, and its org id, if any, comes from `accounts[id].organizationId`.
 */
export interface Organization {
  /** The organization id (`o-…`): aws:PrincipalOrgID / aws:ResourceOrgID of its accounts. */
  id?: string;
  /** The root's id (`r-…`), used in aws:PrincipalOrgPaths / aws:ResourceOrgPaths. Default: see `orgRootId`. */
  rootId?: string;
  /** SCPs do not apply to principals of the management account, nor RCPs to its resources. */
  managementAccount?: string;
  root?: OrgTarget;
  /** OUs by id (`ou-…`). */
  units?: Record<string, OrgUnit>;
  /** Member accounts by id. */
  accounts?: Record<string, OrgAccount>;
}

/** What is attached to one root, OU or account. */
export interface OrgTarget {
  /**
   * The SCPs attached here. Omitted: the AWS default, `FullAWSAccess`, is attached. AWS keeps at least one SCP
   * on every root, OU and account, so an empty list is invalid.
   */
  scps?: OrgPolicy[];
  /** The RCPs attached here besides `RCPFullAWSAccess`, which AWS attaches everywhere and cannot be detached. */
  rcps?: OrgPolicy[];
}

export interface OrgUnit extends OrgTarget {
  name?: string;
  /** The parent OU's id; omitted: the root. */
  parent?: string;
}

export interface OrgAccount extends OrgTarget {
  /** The OU the account is in; omitted: directly under the root. */
  unit?: string;
}

/**
 * An attached policy: a document, a named document, or the name of an AWS managed organization policy
 * (`"FullAWSAccess"` for SCPs, `"RCPFullAWSAccess"` for RCPs).
 */
export type OrgPolicy = NamedPolicy | string;

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
