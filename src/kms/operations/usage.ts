/** Key usage and algorithm checks shared by the cryptographic operations (API Encrypt, Sign, GenerateMac: InvalidKeyUsageException). */
import { incompatibleAlgorithmMessage } from '../crypto/specs';
import { KmsError } from '../errors';
import type { KeyRecord, KeyMaterialRecord } from '../kms-state';
import type { Call } from './context';
import { currentMaterial } from './metadata';

export function requireUsage(call: Call, key: KeyRecord, usage: string): void {
  if (key.keyUsage !== usage)
    throw new KmsError(
      'InvalidKeyUsageException',
      `${key.arn} key usage is ${key.keyUsage} which is not valid for ${call.operation}.`,
    );
}

/** Operations that need a symmetric encryption key (GenerateDataKey*, ReEncrypt destination of a data key, …). */
export function requireSymmetricEncryption(call: Call, key: KeyRecord): void {
  requireUsage(call, key, 'ENCRYPT_DECRYPT');
  if (key.keySpec !== 'SYMMETRIC_DEFAULT')
    throw new KmsError(
      'InvalidKeyUsageException',
      `${key.arn} key spec is ${key.keySpec} which is not valid for ${call.operation}.`,
    );
}

export function requireAlgorithm(
  key: KeyRecord,
  algorithm: string,
  allowed: readonly (string | undefined)[] | undefined,
): void {
  if (!allowed?.includes(algorithm))
    throw new KmsError('InvalidKeyUsageException', incompatibleAlgorithmMessage(algorithm, key.keySpec));
}

/** The current material; the key-state check has already refused a key without one. */
export function material(key: KeyRecord): KeyMaterialRecord {
  const current = currentMaterial(key);
  if (!current) throw new KmsError('KMSInvalidStateException', `${key.arn} is pending import.`);
  return current;
}
