/**
 * The request context: the condition keys AWS would attach to a KMS request, derived from the scenario and the
 * request (lab-design §2; kms-authorization.md §7.5, CK, CA), then overridden by the request's `context`.
 */
import type { KeySpecEntry, RequestSpec } from '../scenario/types';
import type { OrgMembership } from '../scenario/organization';
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
  principalOrg?: OrgMembership;
  /** The key being authorized (absent for operations that use no key). */
  key?: ResolvedKey;
  keyOrg?: OrgMembership;
  /** `aws:SourceVpc` of the endpoint the call came through. */
  vpcId?: string;
  /** Cached results of `principalContextEntries` / `keyContextEntries` (they depend only on the caller / the key). */
  principalEntries?: ContextEntries;
  keyEntries?: ContextEntries;
  /** The encryption context for this part of the request (ReEncryptTo uses the destination context). */
  encryptionContext?: Record<string, string>;
  /** For ReEncrypt: whether source and destination are the same key. */
  reEncryptOnSameKey?: boolean;
  /** aws:CurrentTime and aws:EpochTime, prebuilt once per prepared scenario. */
  now: { iso: string[]; epoch: string[] };
}

export interface DerivedContext {
  lookup: ContextLookup;
  /** The encryption context of this part, for grant constraints (exact and case-sensitive, GC). */
  ec?: Record<string, string>;
  /** What the context record for people and the UI is built from, only when someone reads it (`contextRecord`). */
  principalEntries: ContextEntries;
  keyEntries: ContextEntries | undefined;
  own: OwnKeys;
  /** The request's own `context` entries (they override derived keys, §7.3). */
  overrides: [string, unknown][];
  record: RequestContext | undefined;
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
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : undefined;
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
  PutKeyPolicy: [
    { key: 'kms:BypassPolicyLockoutSafetyCheck', param: 'bypassPolicyLockoutSafetyCheck', default: 'false' },
  ],
  ScheduleKeyDeletion: [
    { key: 'kms:ScheduleKeyDeletionPendingWindowInDays', param: 'pendingWindowInDays', default: '30' },
  ],
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

const PRINCIPAL_TYPES: Partial<Record<string, string>> = {
  user: 'User',
  role: 'AssumedRole',
  'assumed-role': 'AssumedRole',
  'federated-user': 'FederatedUser',
  root: 'Account',
};

/** Context keys gathered as [name as AWS spells it, values], with a lower-cased index for condition lookups. */
class ContextBuilder {
  readonly entries: [string, string[]][] = [];
  readonly index = new Map<string, string[]>();

  /** Sets a derived key (derived keys never collide, so no search for an earlier spelling). */
  set(name: string, value: string | undefined, lower = name.toLowerCase()): void {
    if (value === undefined) return;
    const values = [value];
    this.entries.push([name, values]);
    this.index.set(lower, values);
  }

  /** Sets a key that may already be there under another spelling (request.context overrides, §7.3). */
  setValues(name: string, values: string[]): void {
    const lower = name.toLowerCase();
    if (this.index.has(lower)) {
      // An override (request.context) replaces a derived key whatever its spelling (§7.3).
      for (let i = this.entries.length - 1; i >= 0; i--)
        if (this.entries[i][0].toLowerCase() === lower) this.entries.splice(i, 1);
    }
    this.entries.push([name, values]);
    this.index.set(lower, values);
  }
}

/**
 * The keys derived for one request, in parallel arrays with lower-cased names for condition lookups. A request has
 * about ten, so a search from the end is cheaper than building a Map per request.
 */
export class OwnKeys {
  readonly names: string[] = [];
  readonly lowers: string[] = [];
  readonly values: string[][] = [];

  /** Sets a derived key (derived keys never collide, so no search for an earlier spelling). */
  set(name: string, value: string | undefined, lower = name.toLowerCase()): void {
    if (value === undefined) return;
    this.put(name, lower, [value]);
  }

  /** Puts a derived key whose lower-cased name is known. */
  put(name: string, lower: string, values: string[]): void {
    this.names.push(name);
    this.lowers.push(lower);
    this.values.push(values);
  }

  /** Sets a key that may already be there under another spelling (request.context overrides, §7.3). */
  setValues(name: string, values: string[], lower = name.toLowerCase()): void {
    // An override (request.context) replaces a derived key whatever its spelling (§7.3).
    for (let i = this.lowers.length - 1; i >= 0; i--) {
      if (this.lowers[i] === lower) {
        this.names.splice(i, 1);
        this.lowers.splice(i, 1);
        this.values.splice(i, 1);
      }
    }
    this.put(name, lower, values);
  }

  /** The values of a lower-cased key; the last one set wins, as names that differ only in case may both be there. */
  get(lower: string): string[] | undefined {
    const lowers = this.lowers;
    for (let i = lowers.length - 1; i >= 0; i--) if (lowers[i] === lower) return this.values[i];
    return undefined;
  }
}

/** Keys derived once for a caller or a key; values arrays are shared, treat them as read-only. */
export interface ContextEntries {
  entries: [string, string[]][];
  index: Map<string, string[]>;
  /** On a caller's entries: record templates by key and request-key names (see `contextRecord`). */
  templates?: RecordTemplate[];
}

/**
 * A record with every key of one shape (the caller's keys, a key's, then the request's own key names) in their
 * order, the caller's and the key's values already in. Made by JSON.parse, so V8 keeps it in fast mode; a copy then
 * only needs the request's own values stored into existing properties. A record built key by key with computed
 * names turns into a slow dictionary object past ~16 keys, which made it the costliest part of a traced decision.
 */
interface RecordTemplate {
  keyEntries: ContextEntries | undefined;
  ownNames: string[];
  record: RequestContext;
}

/** The keys that depend only on the caller (CA): aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalTag/*, … */
export function principalContextEntries(
  caller: Caller,
  tags: Record<string, string> | undefined,
  org: OrgMembership,
): ContextEntries {
  const b = new ContextBuilder();
  if (caller.info.kind === 'service') {
    b.set('aws:PrincipalIsAWSService', 'true');
    b.set('aws:PrincipalServiceName', caller.arn);
    return b;
  }
  b.set(
    'aws:PrincipalArn',
    caller.info.kind === 'assumed-role' || caller.info.kind === 'role' ? caller.roleArn : caller.arn,
  );
  if (caller.account) b.set('aws:PrincipalAccount', caller.account);
  b.set('aws:PrincipalIsAWSService', 'false');
  // From the caller's account's place in the organization (CA "aws:PrincipalOrgID", "aws:PrincipalOrgPaths").
  b.set('aws:PrincipalOrgID', org.id);
  if (org.path) b.setValues('aws:PrincipalOrgPaths', [org.path]);
  b.set('aws:PrincipalType', PRINCIPAL_TYPES[caller.info.kind]);
  if (caller.info.kind === 'user') b.set('aws:username', caller.info.name);
  for (const [tag, value] of Object.entries(tags ?? {})) b.set(`aws:PrincipalTag/${tag}`, value);
  if (caller.account) b.set('kms:CallerAccount', caller.account);
  return b;
}

/** The keys that depend only on the key (CK, CA): aws:ResourceTag/*, kms:KeySpec, kms:ResourceAliases, … */
export function keyContextEntries(key: ResolvedKey, org: OrgMembership): ContextEntries {
  const b = new ContextBuilder();
  const entry = key.entry;
  b.set('aws:RequestedRegion', key.region);
  b.set('aws:ResourceAccount', key.account);
  // From the key's account (CA "aws:ResourceOrgID", "aws:ResourceOrgPaths").
  b.set('aws:ResourceOrgID', org.id);
  if (org.path) b.setValues('aws:ResourceOrgPaths', [org.path]);
  for (const [tag, value] of Object.entries(entry.tags ?? {})) b.set(`aws:ResourceTag/${tag}`, value);
  b.set('kms:KeySpec', entry.keySpec ?? 'SYMMETRIC_DEFAULT');
  b.set('kms:KeyUsage', entry.keyUsage ?? 'ENCRYPT_DECRYPT');
  b.set('kms:KeyOrigin', entry.origin ?? 'AWS_KMS');
  b.set('kms:MultiRegion', entry.multiRegion ? 'true' : 'false');
  if (entry.aliases && entry.aliases.length > 0) b.setValues('kms:ResourceAliases', [...entry.aliases]);
  return b;
}

/** Looks a lower-cased key up in the request's own keys, then the key's, then the caller's. */
class LayeredLookup {
  constructor(
    private readonly own: OwnKeys,
    private readonly key: Map<string, string[]> | undefined,
    private readonly principal: Map<string, string[]>,
  ) {}

  get(lowerKey: string): string[] | undefined {
    return this.own.get(lowerKey) ?? this.key?.get(lowerKey) ?? this.principal.get(lowerKey);
  }
}

/** The stand-in value of aws:SourceIp when an AWS service makes the call (CA): an AWS address the lab does not know. */
export const SERVICE_SOURCE_IP_LABEL = 'an AWS address of the calling service';
const SERVICE_SOURCE_IP = [SERVICE_SOURCE_IP_LABEL];

const TRUE = ['true'];
const FALSE = ['false'];

/** Shared by every request without its own `context` entries; never mutated. */
const NO_OVERRIDES: [string, unknown][] = [];

/** `kms:EncryptionContext:<key>` and its lower-cased form by encryption-context key: the same few keys come again and again. */
const encryptionContextKeyNames = new Map<string, { name: string; lower: string }>();

function encryptionContextKeyName(key: string): { name: string; lower: string } {
  let names = encryptionContextKeyNames.get(key);
  if (names === undefined) {
    if (encryptionContextKeyNames.size >= 512) encryptionContextKeyNames.clear();
    const name = `kms:EncryptionContext:${key}`;
    names = { name, lower: name.toLowerCase() };
    encryptionContextKeyNames.set(key, names);
  }
  return names;
}

/** Derives the context of one request (or of one part: the source or destination key of ReEncrypt). */
export function deriveContext(input: ContextInput): DerivedContext {
  const { request, operation, caller, key } = input;
  const own = new OwnKeys();
  const opName = operation?.name;
  const principalEntries =
    input.principalEntries ?? principalContextEntries(caller, input.principalTags, input.principalOrg ?? {});
  const keyEntries = key ? (input.keyEntries ?? keyContextEntries(key, input.keyOrg ?? {})) : undefined;

  // Network (CA, VPCE): a call through a VPC endpoint has aws:SourceVpce/aws:SourceVpc and no aws:SourceIp.
  if (request.vpcEndpoint) {
    own.set('aws:SourceVpce', request.vpcEndpoint, 'aws:sourcevpce');
    own.set('aws:SourceVpc', input.vpcId, 'aws:sourcevpc');
  } else if (request.viaService) {
    // CA §7.4: when a service calls KMS for the principal, aws:SourceIp holds the service's AWS address, never the
    // caller's. The lab does not know that address, so it stands for it with a label no CIDR matches.
    own.put('aws:SourceIp', 'aws:sourceip', SERVICE_SOURCE_IP);
  } else {
    own.set('aws:SourceIp', request.sourceIp, 'aws:sourceip');
  }
  own.put('aws:SecureTransport', 'aws:securetransport', TRUE); // the KMS API accepts only TLS
  own.put('aws:ViaAWSService', 'aws:viaawsservice', request.viaService ? TRUE : FALSE);
  own.put('aws:CurrentTime', 'aws:currenttime', input.now.iso);
  own.put('aws:EpochTime', 'aws:epochtime', input.now.epoch);

  // KMS keys (CK).
  own.set('kms:ViaService', request.viaService, 'kms:viaservice');
  const ec = input.encryptionContext;
  if (ec) {
    const keys = Object.keys(ec);
    for (const k of keys) {
      const name = encryptionContextKeyName(k);
      own.set(name.name, ec[k], name.lower);
    }
    if (keys.length > 0) own.setValues('kms:EncryptionContextKeys', keys, 'kms:encryptioncontextkeys');
  }
  if (opName !== undefined) {
    if (ENCRYPTION_ALGORITHM_OPERATIONS.has(opName)) {
      const name =
        opName === 'ReEncryptFrom'
          ? 'sourceEncryptionAlgorithm'
          : opName === 'ReEncryptTo'
            ? 'destinationEncryptionAlgorithm'
            : 'encryptionAlgorithm';
      own.set(
        'kms:EncryptionAlgorithm',
        stringParameter(request, name) ??
          stringParameter(request, 'encryptionAlgorithm') ??
          'SYMMETRIC_DEFAULT',
        'kms:encryptionalgorithm',
      );
    }
    const parameterKeys = PARAMETER_KEYS[opName];
    if (parameterKeys)
      for (const { key: name, param, default: fallback } of parameterKeys)
        own.set(name, stringParameter(request, param) ?? fallback);
    if (GRANT_RESOURCE_OPERATIONS.has(opName)) {
      // CK: true only when an integrated AWS service makes the grant call for the principal.
      own.setValues('kms:GrantIsForAWSResource', request.viaService ? TRUE : FALSE);
    }
    if (opName === 'CreateGrant') {
      const grant = grantRequestOf(request);
      own.set('kms:GranteePrincipal', grant.granteePrincipal);
      own.set('kms:RetiringPrincipal', grant.retiringPrincipal);
      if (grant.operations.length > 0) own.setValues('kms:GrantOperations', grant.operations);
      const constraint = grant.equals ?? grant.subset;
      own.set(
        'kms:GrantConstraintType',
        grant.equals ? 'EncryptionContextEquals' : grant.subset ? 'EncryptionContextSubset' : undefined,
      );
      // CK: for CreateGrant, the encryption-context keys refer to the grant's constraint.
      if (!ec && constraint) {
        for (const [k, v] of Object.entries(constraint)) own.set(`kms:EncryptionContext:${k}`, v);
        own.setValues('kms:EncryptionContextKeys', Object.keys(constraint));
      }
    }
    if (opName === 'TagResource' || opName === 'CreateKey') {
      const tags = parameter(request, 'tags');
      if (tags && typeof tags === 'object' && !Array.isArray(tags)) {
        const entries = Object.entries(tags as Record<string, unknown>);
        for (const [k, v] of entries) own.set(`aws:RequestTag/${k}`, String(v));
        if (entries.length > 0)
          own.setValues(
            'aws:TagKeys',
            entries.map(([k]) => k),
          );
      }
    }
    if (opName === 'UntagResource') {
      const tagKeys = parameter(request, 'tagKeys');
      if (Array.isArray(tagKeys) && tagKeys.length > 0) own.setValues('aws:TagKeys', tagKeys.map(String));
    }
  }
  if (input.reEncryptOnSameKey !== undefined)
    own.setValues('kms:ReEncryptOnSameKey', input.reEncryptOnSameKey ? TRUE : FALSE);
  // CK: kms:RequestAlias holds the alias only when the caller named the key by alias (name or alias ARN).
  if (key) own.set('kms:RequestAlias', aliasNameOf(request.keyId), 'kms:requestalias');

  // The request's own entries add to or override what was derived; key names are case-insensitive (§7.3).
  const overrides = request.context ? Object.entries(request.context) : NO_OVERRIDES;
  for (const [name, value] of overrides)
    own.setValues(name, Array.isArray(value) ? value.map(String) : [String(value)]);

  const lookup = new LayeredLookup(own, keyEntries?.index, principalEntries.index);
  return { lookup, ec, principalEntries, keyEntries, own, overrides, record: undefined };
}

function addEntries(
  record: RequestContext,
  entries: [string, string[]][],
  overridden: Set<string> | undefined,
): void {
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    if (overridden === undefined || !overridden.has(entry[0].toLowerCase())) record[entry[0]] = entry[1];
  }
}

function addOwnKeys(record: RequestContext, own: OwnKeys): void {
  const names = own.names;
  const values = own.values;
  for (let i = 0; i < names.length; i++) record[names[i]] = values[i];
}

/** How many record templates each caller keeps; beyond that (many shapes of request), records are built key by key. */
const RECORD_TEMPLATES = 16;

function sameNames(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function recordTemplate(
  principalEntries: ContextEntries,
  keyEntries: ContextEntries | undefined,
  own: OwnKeys,
): RequestContext | undefined {
  const templates = (principalEntries.templates ??= []);
  for (let i = 0; i < templates.length; i++) {
    const candidate = templates[i];
    if (candidate.keyEntries === keyEntries && sameNames(candidate.ownNames, own.names))
      return candidate.record;
  }
  if (templates.length >= RECORD_TEMPLATES) return undefined;
  const shape: Record<string, null> = {};
  for (const [name] of principalEntries.entries) shape[name] = null;
  if (keyEntries) for (const [name] of keyEntries.entries) shape[name] = null;
  for (const name of own.names) shape[name] = null;
  const ownNames = own.names.slice();
  const record = JSON.parse(JSON.stringify(shape)) as RequestContext;
  addEntries(record, principalEntries.entries, undefined);
  if (keyEntries) addEntries(record, keyEntries.entries, undefined);
  templates.push({ keyEntries, ownNames, record });
  return record;
}

/**
 * The request context as a record (as AWS spells the keys): the caller's keys, the key's, then the request's own.
 * Without overrides, a copy of the shape's template gets the request's own values (the values arrays are shared:
 * treat them as read-only); with overrides, or past the templates a caller keeps, it is built key by key.
 */
export function contextRecord(derived: DerivedContext): RequestContext {
  if (derived.record) return derived.record;
  const { principalEntries, keyEntries, own, overrides } = derived;
  const template = overrides.length === 0 ? recordTemplate(principalEntries, keyEntries, own) : undefined;
  let record: RequestContext;
  if (template) {
    record = { ...template };
  } else {
    record = {};
    let overridden: Set<string> | undefined;
    if (overrides.length > 0) {
      overridden = new Set();
      for (const [name] of overrides) overridden.add(name.toLowerCase());
    }
    addEntries(record, principalEntries.entries, overridden);
    if (keyEntries) addEntries(record, keyEntries.entries, overridden);
  }
  addOwnKeys(record, own);
  return (derived.record = record);
}
