/**
 * Imported key material: GetParametersForImport, ImportKeyMaterial, DeleteImportedKeyMaterial (API reference of
 * each; facts §2.2, §2.8). Import tokens are valid 24 hours; material expires at ValidTo (the clock runs it);
 * only the same material may be imported again.
 */
import { toBase64 } from '../bytes';
import type { WrappingAlgorithm, WrappingKeySpec } from '../crypto/specs';
import { KmsError } from '../errors';
import type { Hsm } from '../hsm';
import { DAY_MS, type KeyRecord, type KeyMaterialRecord } from '../kms-state';
import { date, type Call, type Operation } from './context';

const TOKEN_LIFETIME_MS = DAY_MS; // API GetParametersForImport: the public key and token are valid for 24 hours
const MAX_VALID_TO_MS = 365 * DAY_MS; // API ImportKeyMaterial, ValidTo: at most 365 days ahead

function requireExternal(key: KeyRecord): void {
  // KS 9: a key that cannot have imported material.
  if (key.origin !== 'EXTERNAL')
    throw new KmsError(
      'UnsupportedOperationException',
      `${key.arn} origin is ${key.origin} which is not valid for this operation.`,
    );
}

export const GetParametersForImport: Operation = async (call, request) => {
  const key = call.key(request.KeyId as string, { alias: false });
  call.authorize(key, request.KeyId as string);
  requireExternal(key);
  call.requireState('import', key);
  const algorithm = request.WrappingAlgorithm as string;
  // facts §2.2: RSAES_PKCS1_V1_5 is no longer offered (2023-10-10); SM2 exists only in China Regions.
  if (algorithm === 'RSAES_PKCS1_V1_5' || algorithm === 'SM2PKE' || request.WrappingKeySpec === 'SM2')
    throw new KmsError('ValidationException', `The wrapping algorithm ${algorithm} is not supported.`);
  const { wrappingId, publicKey } = await call.core.hsm.createWrappingKey(
    request.WrappingKeySpec as WrappingKeySpec,
  );
  const token = call.core.hsm.random(64);
  const validTo = call.now + TOKEN_LIFETIME_MS;
  key.importParameters.push({
    token: toBase64(token),
    wrappingKeyId: wrappingId,
    wrappingAlgorithm: algorithm,
    validTo,
  });
  return { KeyId: key.arn, ImportToken: token, PublicKey: publicKey, ParametersValidTo: date(validTo) };
};

function expiration(
  request: Record<string, unknown>,
  now: number,
): Pick<KeyMaterialRecord, 'expirationModel' | 'validTo'> {
  const model = (request.ExpirationModel ?? 'KEY_MATERIAL_EXPIRES') as KeyMaterialRecord['expirationModel'];
  const validTo = request.ValidTo as Date | undefined;
  if (model === 'KEY_MATERIAL_EXPIRES') {
    // Conformance import-symmetric-lifecycle: the default model needs ValidTo.
    if (!validTo)
      throw new KmsError(
        'ValidationException',
        'A validTo date must be set if the ExpirationModel is KEY_MATERIAL_EXPIRES',
      );
    if (validTo.getTime() <= now || validTo.getTime() > now + MAX_VALID_TO_MS)
      throw new KmsError(
        'ValidationException',
        'The validTo date must be in the future and no more than 365 days away.',
      );
    return { expirationModel: model, validTo: validTo.getTime() };
  }
  if (validTo)
    throw new KmsError(
      'ValidationException',
      'A validTo date cannot be set if the ExpirationModel is KEY_MATERIAL_DOES_NOT_EXPIRE',
    );
  return { expirationModel: model, validTo: undefined };
}

export const ImportKeyMaterial: Operation = async (call, request) => {
  const key = call.key(request.KeyId as string, { alias: false });
  call.authorize(key, request.KeyId as string);
  requireExternal(key);
  call.requireState('import', key);
  const token = toBase64(request.ImportToken as Uint8Array);
  const parameters = key.importParameters.find((p) => p.token === token);
  if (!parameters)
    throw new KmsError('InvalidImportTokenException', 'The import token is not valid for this key.');
  if (parameters.validTo <= call.now)
    throw new KmsError('ExpiredImportTokenException', 'The import token has expired.');
  const expiry = expiration(request, call.now);

  // The HSM answers material that does not unwrap (InvalidCiphertextException) or fit (IncorrectKeyMaterialException).
  const materialId = await call.core.hsm.unwrapImport(
    parameters.wrappingKeyId,
    parameters.wrappingAlgorithm as WrappingAlgorithm,
    request.EncryptedKeyMaterial as Uint8Array,
    { keySpec: key.keySpec, keyId: key.keyId },
  );
  // facts §2.2: NEW_KEY_MATERIAL is the default for the first import, EXISTING_KEY_MATERIAL afterwards.
  const importType = (request.ImportType ??
    (key.materials.length === 0 ? 'NEW_KEY_MATERIAL' : 'EXISTING_KEY_MATERIAL')) as string;
  const known = key.materials.find((m) => m.id === materialId);
  if (importType === 'EXISTING_KEY_MATERIAL') {
    const wanted = (request.KeyMaterialId as string | undefined) ?? key.currentMaterialId;
    if (!known || (wanted !== undefined && wanted !== materialId)) {
      forgetUnlessKnown(call, key, materialId);
      throw new KmsError(
        'IncorrectKeyMaterialException',
        'The key material does not match the key material previously imported into this KMS key.',
      );
    }
    Object.assign(known, expiry, { importState: 'IMPORTED' as const });
  } else {
    if (known)
      throw new KmsError(
        'IncorrectKeyMaterialException',
        'This key material is already associated with the KMS key.',
      );
    const pending = key.materials.find((m) => m.state === 'PENDING_ROTATION');
    if (pending) {
      call.core.hsm.destroy(materialId);
      // Conformance import-new-material-while-one-pending.
      throw new KmsError(
        'KMSInvalidStateException',
        `New key material (id: ${materialId}) cannot be imported into KMS key ${key.arn}, because another key material (id: ${pending.id}) is pending rotation.`,
      );
    }
    const first = key.materials.length === 0;
    key.materials.push({
      id: materialId,
      state: first ? 'CURRENT' : 'PENDING_ROTATION',
      importState: 'IMPORTED',
      description: request.KeyMaterialDescription as string | undefined,
      ...expiry,
    });
    if (first) key.currentMaterialId = materialId;
  }
  if (
    key.state === 'PendingImport' &&
    key.materials.find((m) => m.state === 'CURRENT')?.importState === 'IMPORTED'
  )
    key.state = 'Enabled';
  call.core.changed();
  call.additionalEventData = { keyMaterialId: materialId };
  return { KeyId: key.arn, KeyMaterialId: materialId };
};

/** Material unwrapped for a refused import is dropped again unless the key already holds it. */
function forgetUnlessKnown(call: Call, key: KeyRecord, materialId: string): void {
  if (!key.materials.some((m) => m.id === materialId)) call.core.hsm.destroy(materialId);
}

/** Deletes imported material (also used when ValidTo passes): the key waits for it again (facts §2.8). */
export function deleteImportedMaterial(
  core: { hsm: Pick<Hsm, 'destroy'> },
  key: KeyRecord,
  material: KeyMaterialRecord,
): void {
  core.hsm.destroy(material.id);
  material.importState = 'PENDING_IMPORT';
  material.validTo = undefined;
  // API DeleteImportedKeyMaterial: the key becomes PendingImport, unless it is pending deletion.
  if (material.state === 'CURRENT' && key.state !== 'PendingDeletion') key.state = 'PendingImport';
}

export const DeleteImportedKeyMaterial: Operation = async (call, request) => {
  const key = call.key(request.KeyId as string, { alias: false });
  call.authorize(key, request.KeyId as string);
  requireExternal(key);
  call.requireState('delete-imported', key);
  const id = (request.KeyMaterialId as string | undefined) ?? key.currentMaterialId;
  const material = key.materials.find((m) => m.id === id);
  if (request.KeyMaterialId !== undefined && !material)
    throw new KmsError('NotFoundException', `Key material ${String(request.KeyMaterialId)} is not found.`);
  if (material && material.importState === 'IMPORTED') deleteImportedMaterial(call.core, key, material);
  call.core.changed();
  return { KeyId: key.arn, KeyMaterialId: id ?? '' };
};
