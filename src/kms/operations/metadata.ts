/**
 * KeyMetadata as DescribeKey and CreateKey return it (API DescribeKey, "KeyMetadata"): optional members are absent
 * when they do not apply, as the recorded AWS responses show (conformance createkey-*, import-*).
 */
import { algorithmsFor, type KeyUsage } from '../crypto/specs';
import type { KeyMaterialRecord, KeyRecord } from '../kms-state';
import { compact, date } from './context';

export function keyMetadata(key: KeyRecord): Record<string, unknown> {
  const algorithms = algorithmsFor(key.keySpec, key.keyUsage as KeyUsage);
  const current = key.materials.find((m) => m.state === 'CURRENT');
  const imported = key.origin === 'EXTERNAL' && current?.importState === 'IMPORTED';
  const usage = key.keyUsage;
  return compact({
    AWSAccountId: key.account,
    KeyId: key.keyId,
    Arn: key.arn,
    CreationDate: date(key.creationDate),
    Enabled: key.state === 'Enabled',
    Description: key.description,
    KeyUsage: usage,
    KeyState: key.state,
    DeletionDate: key.state === 'PendingDeletion' ? date(key.deletionDate) : undefined,
    ValidTo:
      imported && current?.expirationModel === 'KEY_MATERIAL_EXPIRES' ? date(current.validTo) : undefined,
    Origin: key.origin,
    ExpirationModel: imported ? current?.expirationModel : undefined,
    KeyManager: key.manager,
    CustomerMasterKeySpec: key.keySpec,
    KeySpec: key.keySpec,
    EncryptionAlgorithms: algorithms.EncryptionAlgorithms,
    SigningAlgorithms: algorithms.SigningAlgorithms,
    KeyAgreementAlgorithms: algorithms.KeyAgreementAlgorithms,
    MacAlgorithms: algorithms.MacAlgorithms,
    MultiRegion: false,
    PendingDeletionWindowInDays: key.state === 'PendingDeletion' ? key.pendingWindowInDays : undefined,
    // Recorded AWS responses show CurrentKeyMaterialId for symmetric encryption keys only (conformance).
    CurrentKeyMaterialId: key.keySpec === 'SYMMETRIC_DEFAULT' ? key.currentMaterialId : undefined,
  });
}

/** The material the key encrypts and signs with now, if the HSM holds it. */
export function currentMaterial(key: KeyRecord): KeyMaterialRecord | undefined {
  const current = key.materials.find((m) => m.state === 'CURRENT');
  return current && current.importState !== 'PENDING_IMPORT' ? current : undefined;
}
