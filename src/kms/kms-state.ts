/**
 * The simulated KMS's state: plain JSON (times as epoch milliseconds) so that snapshot() is a copy. Keys are held
 * by ARN, which names their account and Region, so each Region has its own keys, aliases and grants.
 */
import type { KeySpec } from './crypto/specs';
import type { KeyState } from './key-states';
import type { MaterialId } from './hsm';

export interface KeyMaterialRecord {
  id: MaterialId;
  /** ListKeyRotations KeyMaterialState. */
  state: 'CURRENT' | 'NON_CURRENT' | 'PENDING_ROTATION';
  /** Imported material only: whether the HSM holds it now. */
  importState?: 'IMPORTED' | 'PENDING_IMPORT';
  expirationModel?: 'KEY_MATERIAL_EXPIRES' | 'KEY_MATERIAL_DOES_NOT_EXPIRE';
  validTo?: number;
  description?: string;
  /** When it became current by rotation (absent for the key's first material). */
  rotationDate?: number;
  rotationType?: 'AUTOMATIC' | 'ON_DEMAND';
}

export interface ImportParameters {
  /** The ImportToken, base64. */
  token: string;
  wrappingKeyId: string;
  wrappingAlgorithm: string;
  validTo: number;
}

export interface KeyRecord {
  arn: string;
  keyId: string;
  account: string;
  region: string;
  partition: string;
  creationDate: number;
  description: string;
  keyUsage: string;
  keySpec: KeySpec;
  origin: string;
  manager: 'CUSTOMER' | 'AWS';
  state: KeyState;
  /** The key policy text, as put. */
  policy: string;
  tags: { TagKey: string; TagValue: string }[];
  materials: KeyMaterialRecord[];
  /** The material DescribeKey names (it stays after imported material is deleted, as AWS shows it). */
  currentMaterialId?: MaterialId;
  rotation: { enabled: boolean; periodInDays: number; nextRotation?: number; onDemandCount: number };
  deletionDate?: number;
  pendingWindowInDays?: number;
  importParameters: ImportParameters[];
}

export interface AliasRecord {
  name: string;
  arn: string;
  account: string;
  region: string;
  targetKeyArn: string;
  creationDate: number;
  lastUpdatedDate: number;
}

export interface GrantRecord {
  grantId: string;
  keyArn: string;
  name?: string;
  granteePrincipal: string;
  retiringPrincipal?: string;
  operations: string[];
  constraints?: {
    EncryptionContextSubset?: Record<string, string>;
    EncryptionContextEquals?: Record<string, string>;
  };
  issuingAccount: string;
  creationDate: number;
  /** Grants are eventually consistent (API CreateGrant): usable without a token from this time on. */
  propagatesAt: number;
  tokens: string[];
}

export interface KmsState {
  version: 1;
  now: number;
  keys: Record<string, KeyRecord>;
  /** By alias ARN. */
  aliases: Record<string, AliasRecord>;
  grants: GrantRecord[];
}

export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

export const keyArnOf = (region: string, account: string, keyId: string) =>
  `arn:${partitionOf(region)}:kms:${region}:${account}:key/${keyId}`;
export const aliasArnOf = (region: string, account: string, name: string) =>
  `arn:${partitionOf(region)}:kms:${region}:${account}:${name}`;

/** Material id → key ARN, per state; rebuilt when a look-up finds it out of date (state is plain JSON, changed freely). */
const materialIndexes = new WeakMap<KmsState, Map<MaterialId, string>>();

const holds = (key: KeyRecord | undefined, materialId: MaterialId) =>
  key?.materials.some((m) => m.id === materialId) === true;

/** The key that holds the material a symmetric ciphertext names (every Decrypt asks: indexed). */
export function keyOfMaterial(state: KmsState, materialId: MaterialId): KeyRecord | undefined {
  const cached = materialIndexes.get(state)?.get(materialId);
  if (cached !== undefined && holds(state.keys[cached], materialId)) return state.keys[cached];
  const index = new Map<MaterialId, string>();
  for (const key of Object.values(state.keys)) for (const m of key.materials) index.set(m.id, key.arn);
  materialIndexes.set(state, index);
  const arn = index.get(materialId);
  return arn === undefined ? undefined : state.keys[arn];
}

export const DAY_MS = 86_400_000;
