/**
 * The request context: the condition keys AWS would attach to a KMS request, derived from the scenario and the
 * request (lab-design §2; kms-authorization.md §7.5, CK, CA), then overridden by the request's `context`.
 */
import type { KeySpecEntry, RequestSpec } from '../scenario/types';
import type { RequestContext } from './types';
import type { Caller } from './compile';
import type { ContextLookup } from './conditions';
import type { KmsOperation } from './kms-actions';

export interface ResolvedKey {
  arn: string;
  entry: KeySpecEntry;
  partition: string;
  region: string;
  account: string;
}

export interface ContextInput {
  request: RequestSpec;
  operation: KmsOperation | undefined;
  caller: Caller;
  /** Tags of the caller's IAM identity (a session's role). */
  principalTags?: Record<string, string>;
  principalOrgId?: string;
  /** The key being authorized (absent for operations that use no key). */
  key?: ResolvedKey;
  keyOrgId?: string;
  /** `aws:SourceVpc` of the endpoint the call came through. */
  vpcId?: string;
  /** The encryption context for this part of the request (ReEncryptTo uses the destination context). */
  encryptionContext?: Record<string, string>;
  /** For ReEncrypt: whether source and destination are the same key. */
  reEncryptOnSameKey?: boolean;
  now: Date;
}

export interface DerivedContext {
  context: RequestContext;
  lookup: ContextLookup;
  /** The encryption context of this part, for grant constraints (exact and case-sensitive, GC). */
  ec?: Record<string, string>;
}

/** Reads a request parameter in camelCase or AWS's PascalCase (`grantId` or `GrantId`). */
export function parameter(request: RequestSpec, name: string): unknown {
  const params = request.parameters;
  if (!params) return undefined;
  if (name in params) return params[name];
  const pascal = name[0].toUpperCase() + name.slice(1);
  return params[pascal];
}

function stringParameter(request: RequestSpec, name: string): string | undefined {
  const value = parameter(request, name);
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
}

/** Operations whose `kms:EncryptionAlgorithm` defaults to SYMMETRIC_DEFAULT when the parameter is omitted (CK). */
const ENCRYPTION_ALGORITHM_OPERATIONS = new Set([
  'Encrypt',
  'Decrypt',
  'ReEncryptFrom',
  'ReEncryptTo',
  'GenerateDataKey',
  'GenerateDataKeyWithoutPlaintext',
  'GenerateDataKeyPair',
  'GenerateDataKeyPairWithoutPlaintext',
]);

/** Request parameters that become KMS condition keys as they are (CK), per operation; `default` when omitted. */
const PARAMETER_KEYS: Record<string, { key: string; param: string; default?: string }[]> = {
  Sign: [
    { key: 'kms:SigningAlgorithm', param: 'signingAlgorithm' },
    { key: 'kms:MessageType', param: 'messageType', default: 'RAW' },
  ],
  Verify: [
    { key: 'kms:SigningAlgorithm', param: 'signingAlgorithm' },
    { key: 'kms:MessageType', param: 'messageType', default: 'RAW' },
  ],
  GenerateMac: [{ key: 'kms:MacAlgorithm', param: 'macAlgorithm' }],
  VerifyMac: [{ key: 'kms:MacAlgorithm', param: 'macAlgorithm' }],
  GenerateDataKeyPair: [{ key: 'kms:DataKeyPairSpec', param: 'keyPairSpec' }],
  GenerateDataKeyPairWithoutPlaintext: [{ key: 'kms:DataKeyPairSpec', param: 'keyPairSpec' }],
  DeriveSharedSecret: [{ key: 'kms:KeyAgreementAlgorithm', param: 'keyAgreementAlgorithm' }],
  PutKeyPolicy: [{ key: 'kms:BypassPolicyLockoutSafetyCheck', param: 'bypassPolicyLockoutSafetyCheck', default: 'false' }],
  ScheduleKeyDeletion: [{ key: 'kms:ScheduleKeyDeletionPendingWindowInDays', param: 'pendingWindowInDays', default: '30' }],
  EnableKeyRotation: [{ key: 'kms:RotationPeriodInDays', param: 'rotationPeriodInDays', default: '365' }],
  ImportKeyMaterial: [
    { key: 'kms:ExpirationModel', param: 'expirationModel', default: 'KEY_MATERIAL_EXPIRES' },
    { key: 'kms:ValidTo', param: 'validTo' },
  ],
  GetParametersForImport: [
    { key: 'kms:WrappingAlgorithm', param: 'wrappingAlgorithm' },
    { key: 'kms:WrappingKeySpec', param: 'wrappingKeySpec' },
  ],
  ReplicateKey: [{ key: 'kms:ReplicaRegion', param: 'replicaRegion' }],
  UpdatePrimaryRegion: [{ key: 'kms:PrimaryRegion', param: 'primaryRegion' }],
  CreateKey: [
    { key: 'kms:KeySpec', param: 'keySpec', default: 'SYMMETRIC_DEFAULT' },
    { key: 'kms:KeyUsage', param: 'keyUsage', default: 'ENCRYPT_DECRYPT' },
    { key: 'kms:KeyOrigin', param: 'origin', default: 'AWS_KMS' },
    { key: 'kms:MultiRegion', param: 'multiRegion', default: 'false' },
    { key: 'kms:BypassPolicyLockoutSafetyCheck', param: 'bypassPolicyLockoutSafetyCheck', default: 'false' },
  ],
};

/** Operations for which `kms:GrantIsForAWSResource` is set (CK). */
const GRANT_RESOURCE_OPERATIONS = new Set(['CreateGrant', 'ListGrants', 'RevokeGrant']);

function aliasNameOf(keyId: string | undefined): string | undefined {
  if (!keyId) return undefined;
  if (keyId.startsWith('alias/')) return keyId;
  const at = keyId.indexOf(':alias/');
  return keyId.startsWith('arn:') && at >= 0 ? keyId.slice(at + 1) : undefined;
}

/** The grant-creation parameters of a CreateGrant request (camelCase or PascalCase). */
export interface GrantRequest {
  granteePrincipal?: string;
  retiringPrincipal?: string;
  operations: string[];
  subset?: Record<string, string>;
  equals?: Record<string, string>;
}

export function grantRequestOf(request: RequestSpec): GrantRequest {
  const operations = parameter(request, 'operations');
  const constraints = parameter(request, 'constraints') as Record<string, unknown> | undefined;
  const pick = (name: string): Record<string, string> | undefined => {
    if (!constraints || typeof constraints !== 'object') return undefined;
    const value = constraints[name] ?? constraints[name[0].toUpperCase() + name.slice(1)];
    return value && typeof value === 'object' ? (value as Record<string, string>) : undefined;
  };
  return {
    granteePrincipal: stringParameter(request, 'granteePrincipal'),
    retiringPrincipal: stringParameter(request, 'retiringPrincipal'),
    operations: Array.isArray(operations) ? operations.map(String) : [],
    subset: pick('encryptionContextSubset'),
    equals: pick('encryptionContextEquals'),
  };
}

/** Derives the context of one request (or of one part: the source or destination key of ReEncrypt). */
export function deriveContext(input: ContextInput): DerivedContext {
  const { request, operation, caller, key } = input;
  const context: RequestContext = {};
  const set = (name: string, value: string | undefined): void => {
    if (value !== undefined) context[name] = [value];
  };
  const opName = operation?.name;

  // Global keys about the principal (CA).
  if (caller.info.kind === 'service') {
    set('aws:PrincipalIsAWSService', 'true');
    set('aws:PrincipalServiceName', caller.arn);
  } else {
    set('aws:PrincipalArn', caller.info.kind === 'assumed-role' || caller.info.kind === 'role' ? caller.roleArn : caller.arn);
    set('aws:PrincipalAccount', caller.account || undefined);
    set('aws:PrincipalIsAWSService', 'false');
    set('aws:PrincipalOrgID', input.principalOrgId);
    const type = { user: 'User', role: 'AssumedRole', 'assumed-role': 'AssumedRole', 'federated-user': 'FederatedUser', root: 'Account' }[
      caller.info.kind as string
    ];
    set('aws:PrincipalType', type);
    if (caller.info.kind === 'user') set('aws:username', caller.info.name);
    for (const [tag, value] of Object.entries(input.principalTags ?? {})) set(`aws:PrincipalTag/${tag}`, value);
  }

  // Network (CA, VPCE): a call through a VPC endpoint has aws:SourceVpce/aws:SourceVpc and no aws:SourceIp.
  if (request.vpcEndpoint) {
    set('aws:SourceVpce', request.vpcEndpoint);
    set('aws:SourceVpc', input.vpcId);
  } else {
    set('aws:SourceIp', request.sourceIp);
  }
  set('aws:SecureTransport', 'true'); // the KMS API accepts only TLS
  set('aws:ViaAWSService', request.viaService ? 'true' : 'false');
  set('aws:CurrentTime', input.now.toISOString());
  set('aws:EpochTime', String(Math.floor(input.now.getTime() / 1000)));

  // KMS keys (CK).
  if (caller.account) set('kms:CallerAccount', caller.account);
  set('kms:ViaService', request.viaService);
  const ec = input.encryptionContext;
  if (ec) {
    const keys = Object.keys(ec);
    for (const k of keys) set(`kms:EncryptionContext:${k}`, ec[k]);
    if (keys.length > 0) context['kms:EncryptionContextKeys'] = keys;
  }
  if (opName && ENCRYPTION_ALGORITHM_OPERATIONS.has(opName)) {
    const name = opName === 'ReEncryptFrom' ? 'sourceEncryptionAlgorithm' : opName === 'ReEncryptTo' ? 'destinationEncryptionAlgorithm' : 'encryptionAlgorithm';
    set('kms:EncryptionAlgorithm', stringParameter(request, name) ?? stringParameter(request, 'encryptionAlgorithm') ?? 'SYMMETRIC_DEFAULT');
  }
  if (opName && PARAMETER_KEYS[opName]) {
    for (const { key: name, param, default: fallback } of PARAMETER_KEYS[opName]) set(name, stringParameter(request, param) ?? fallback);
  }
  if (input.reEncryptOnSameKey !== undefined) set('kms:ReEncryptOnSameKey', String(input.reEncryptOnSameKey));
  if (opName && GRANT_RESOURCE_OPERATIONS.has(opName)) {
    // CK: true only when an integrated AWS service makes the grant call for the principal.
    set('kms:GrantIsForAWSResource', request.viaService ? 'true' : 'false');
  }
  if (opName === 'CreateGrant') {
    const grant = grantRequestOf(request);
    set('kms:GranteePrincipal', grant.granteePrincipal);
    set('kms:RetiringPrincipal', grant.retiringPrincipal);
    if (grant.operations.length > 0) context['kms:GrantOperations'] = grant.operations;
    const constraint = grant.equals ?? grant.subset;
    set('kms:GrantConstraintType', grant.equals ? 'EncryptionContextEquals' : grant.subset ? 'EncryptionContextSubset' : undefined);
    // CK: for CreateGrant, the encryption-context keys refer to the grant's constraint.
    if (!ec && constraint) {
      for (const [k, v] of Object.entries(constraint)) set(`kms:EncryptionContext:${k}`, v);
      context['kms:EncryptionContextKeys'] = Object.keys(constraint);
    }
  }
  if (opName === 'TagResource' || opName === 'CreateKey') {
    const tags = parameter(request, 'tags');
    if (tags && typeof tags === 'object' && !Array.isArray(tags)) {
      const entries = Object.entries(tags as Record<string, unknown>);
      for (const [k, v] of entries) set(`aws:RequestTag/${k}`, String(v));
      if (entries.length > 0) context['aws:TagKeys'] = entries.map(([k]) => k);
    }
  }
  if (opName === 'UntagResource') {
    const tagKeys = parameter(request, 'tagKeys');
    if (Array.isArray(tagKeys) && tagKeys.length > 0) context['aws:TagKeys'] = tagKeys.map(String);
  }

  // The key's own properties, only when the operation authorizes a key (CK: never satisfied otherwise).
  if (key) {
    const entry = key.entry;
    set('aws:RequestedRegion', key.region);
    set('aws:ResourceAccount', key.account);
    set('aws:ResourceOrgID', input.keyOrgId);
    for (const [tag, value] of Object.entries(entry.tags ?? {})) set(`aws:ResourceTag/${tag}`, value);
    set('kms:KeySpec', entry.keySpec ?? 'SYMMETRIC_DEFAULT');
    set('kms:KeyUsage', entry.keyUsage ?? 'ENCRYPT_DECRYPT');
    set('kms:KeyOrigin', entry.origin ?? 'AWS_KMS');
    set('kms:MultiRegion', entry.multiRegion ? 'true' : 'false');
    if (entry.aliases && entry.aliases.length > 0) context['kms:ResourceAliases'] = [...entry.aliases];
    // CK: kms:RequestAlias holds the alias only when the caller named the key by alias (name or alias ARN).
    set('kms:RequestAlias', aliasNameOf(request.keyId));
  }

  // The request's own entries add to or override what was derived; key names are case-insensitive (§7.3).
  for (const [name, value] of Object.entries(request.context ?? {})) {
    const lower = name.toLowerCase();
    for (const existing of Object.keys(context)) if (existing.toLowerCase() === lower) delete context[existing];
    context[name] = Array.isArray(value) ? value.map(String) : [String(value)];
  }

  const lookup: ContextLookup = new Map();
  for (const name in context) lookup.set(name.toLowerCase(), context[name]);
  return { context, lookup, ec };
}
