/**
 * The request `parameters` the evaluator reads, per KMS operation: the one table that the scenario loader's
 * warnings ("parameters.grant is not read by CreateGrant") and docs/engine.md use. Names are AWS's request
 * parameters in camelCase; the evaluator also accepts AWS's PascalCase (`grantId` or `GrantId`, see
 * `parameter` in context.ts). A parameter the lab does not read cannot change a decision, so the learner is
 * told instead of the field being silently ignored.
 */
import { didYouMean } from './did-you-mean';
import { kmsOperation } from './kms-actions';

export interface RequestParameter {
  /** camelCase, as the lab writes it; `GrantId` (PascalCase) is read too. */
  name: string;
  /** What the evaluator does with it, in a few words (for the docs and the warning). */
  use: string;
  /** For an object parameter: the fields of it the evaluator reads (camelCase or PascalCase). */
  fields?: readonly string[];
}

const p = (name: string, use: string, fields?: readonly string[]): RequestParameter =>
  fields ? { name, use, fields } : { name, use };

const ENCRYPTION_ALGORITHM = p('encryptionAlgorithm', 'kms:EncryptionAlgorithm (default SYMMETRIC_DEFAULT)');
const KEY_PAIR_SPEC = p('keyPairSpec', 'kms:DataKeyPairSpec');
const SIGNING = [
  p('signingAlgorithm', 'kms:SigningAlgorithm'),
  p('messageType', 'kms:MessageType (default RAW)'),
];
const MAC = [p('macAlgorithm', 'kms:MacAlgorithm')];
const ALIAS_NAME = p('aliasName', 'the alias (else the keyId when it is an alias)');
const TARGET_KEY = p('targetKeyId', 'the key the alias points at');
const BYPASS = p('bypassPolicyLockoutSafetyCheck', 'kms:BypassPolicyLockoutSafetyCheck (default false)');
const TAGS = p('tags', 'aws:RequestTag/<key> and aws:TagKeys');
const NEW_KEY_POLICY = p(
  'policy',
  'the new key policy: one AWS would reject fails with MalformedPolicyDocumentException',
);

/** Operation name (as AWS spells it, `ReEncrypt` for the API) → the parameters the evaluator reads. */
export const REQUEST_PARAMETERS: Readonly<Record<string, readonly RequestParameter[]>> = {
  Encrypt: [ENCRYPTION_ALGORITHM],
  Decrypt: [ENCRYPTION_ALGORITHM],
  GenerateDataKey: [ENCRYPTION_ALGORITHM],
  GenerateDataKeyWithoutPlaintext: [ENCRYPTION_ALGORITHM],
  GenerateDataKeyPair: [ENCRYPTION_ALGORITHM, KEY_PAIR_SPEC],
  GenerateDataKeyPairWithoutPlaintext: [ENCRYPTION_ALGORITHM, KEY_PAIR_SPEC],
  ReEncrypt: [
    p('destinationKeyId', 'the destination key (keyId is the source)'),
    p('destinationEncryptionContext', 'the encryption context of the ReEncryptTo part'),
    p('sourceEncryptionAlgorithm', 'kms:EncryptionAlgorithm of the ReEncryptFrom part'),
    p('destinationEncryptionAlgorithm', 'kms:EncryptionAlgorithm of the ReEncryptTo part'),
    p('encryptionAlgorithm', 'kms:EncryptionAlgorithm of either part, when the part has none of its own'),
  ],
  ReEncryptFrom: [p('sourceEncryptionAlgorithm', 'kms:EncryptionAlgorithm'), ENCRYPTION_ALGORITHM],
  ReEncryptTo: [p('destinationEncryptionAlgorithm', 'kms:EncryptionAlgorithm'), ENCRYPTION_ALGORITHM],
  Sign: SIGNING,
  Verify: SIGNING,
  GenerateMac: MAC,
  VerifyMac: MAC,
  DeriveSharedSecret: [p('keyAgreementAlgorithm', 'kms:KeyAgreementAlgorithm')],
  CreateGrant: [
    p('granteePrincipal', 'kms:GranteePrincipal'),
    p('retiringPrincipal', 'kms:RetiringPrincipal'),
    p('operations', 'kms:GrantOperations; each must be a grant operation'),
    p('constraints', 'kms:GrantConstraintType and kms:EncryptionContext:* of the new grant', [
      'encryptionContextSubset',
      'encryptionContextEquals',
    ]),
  ],
  RetireGrant: [p('grantId', 'the grant to retire'), p('grantToken', 'the grant to retire, by its token')],
  RevokeGrant: [p('grantId', 'the grant to revoke (NotFoundException when the key has none)')],
  CreateAlias: [ALIAS_NAME, TARGET_KEY],
  UpdateAlias: [ALIAS_NAME, p('targetKeyId', 'the new key the alias points at')],
  DeleteAlias: [ALIAS_NAME],
  PutKeyPolicy: [BYPASS, NEW_KEY_POLICY],
  CreateKey: [
    p('keySpec', 'kms:KeySpec (default SYMMETRIC_DEFAULT)'),
    p('keyUsage', 'kms:KeyUsage (default ENCRYPT_DECRYPT)'),
    p('origin', 'kms:KeyOrigin (default AWS_KMS)'),
    p('multiRegion', 'kms:MultiRegion (default false)'),
    BYPASS,
    TAGS,
    NEW_KEY_POLICY,
  ],
  TagResource: [TAGS],
  UntagResource: [p('tagKeys', 'aws:TagKeys')],
  ScheduleKeyDeletion: [p('pendingWindowInDays', 'kms:ScheduleKeyDeletionPendingWindowInDays (default 30)')],
  EnableKeyRotation: [p('rotationPeriodInDays', 'kms:RotationPeriodInDays (default 365)')],
  ImportKeyMaterial: [
    p('expirationModel', 'kms:ExpirationModel (default KEY_MATERIAL_EXPIRES)'),
    p('validTo', 'kms:ValidTo'),
  ],
  GetParametersForImport: [
    p('wrappingAlgorithm', 'kms:WrappingAlgorithm'),
    p('wrappingKeySpec', 'kms:WrappingKeySpec'),
  ],
  ReplicateKey: [p('replicaRegion', 'kms:ReplicaRegion')],
  UpdatePrimaryRegion: [p('primaryRegion', 'kms:PrimaryRegion')],
};

/** Request fields a learner may put under `parameters` by mistake: they belong on the request itself. */
const REQUEST_FIELDS = ['keyId', 'encryptionContext', 'grantTokens', 'sourceIp', 'vpcEndpoint', 'viaService'];

/** The operation whose table applies to an action as a request writes it (`kms:Decrypt`, `kms:ReEncrypt`). */
export function operationOfAction(action: unknown): string | undefined {
  if (typeof action !== 'string') return undefined;
  const bare = action.trim().replace(/^kms:/i, '');
  if (bare.toLowerCase() === 'reencrypt') return 'ReEncrypt';
  return kmsOperation(bare)?.name;
}

/** The parameters the evaluator reads for this action (none for an unknown action). */
export function parametersReadFor(action: unknown): readonly RequestParameter[] {
  const operation = operationOfAction(action);
  return (operation && REQUEST_PARAMETERS[operation]) || [];
}

export interface UnreadParameter {
  /** Under the request: `["parameters", "grant"]`, `["parameters", "constraints", "encryptionContextSubst"]`. */
  path: string[];
  message: string;
}

const pascal = (name: string) => name[0].toUpperCase() + name.slice(1);
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The spelling of `written` that the evaluator reads (camelCase or PascalCase), if any. */
function readName(written: string, names: readonly string[]): string | undefined {
  return names.find((name) => written === name || written === pascal(name));
}

/** Every field of `parameters` the evaluator will not read for `action`, each with why and the nearest name. */
export function unreadParameters(action: unknown, parameters: unknown): UnreadParameter[] {
  if (!isObject(parameters)) return [];
  const operation = operationOfAction(action);
  const read = (operation && REQUEST_PARAMETERS[operation]) || [];
  const names = read.map((r) => r.name);
  const what = typeof action === 'string' ? action : 'this action';
  const found: UnreadParameter[] = [];
  for (const [written, value] of Object.entries(parameters)) {
    const known = readName(written, names);
    if (known) {
      const fields = read.find((r) => r.name === known)?.fields;
      if (fields && isObject(value)) {
        for (const field of Object.keys(value)) {
          if (readName(field, fields)) continue;
          found.push({
            path: ['parameters', written, field],
            message: `${field} is not read in parameters.${written}: it is ignored, so it does not limit anything. ${known} takes ${fields.join(' or ')}.${didYouMean(field, fields)}`,
          });
        }
      }
      continue;
    }
    const reads =
      names.length > 0
        ? `${operation} reads ${names.join(', ')}`
        : operation
          ? `${operation} reads no parameters`
          : `${what} is not an operation the lab knows, so none of its parameters is read`;
    const requestField = readName(written, REQUEST_FIELDS);
    // `parameters.grant.granteePrincipal`: the fields the operation reads, one level too deep.
    const nested = isObject(value) ? Object.keys(value).filter((field) => readName(field, names)) : [];
    const hint = requestField
      ? ` ${requestField} is a field of the request itself, not of parameters.`
      : nested.length > 0
        ? ` Its ${nested.join(', ')} belong${nested.length === 1 ? 's' : ''} directly under parameters.`
        : didYouMean(written, names);
    found.push({
      path: ['parameters', written],
      message: `parameters.${written} is ignored: the lab does not read it for ${operation ?? what}, so it does not change the decision (${reads}).${hint}`,
    });
  }
  return found;
}
