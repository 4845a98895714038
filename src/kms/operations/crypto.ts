/**
 * Encrypt, Decrypt, ReEncrypt, GenerateDataKey(+WithoutPlaintext), GenerateDataKeyPair(+WithoutPlaintext),
 * GenerateRandom (API reference of each; facts §2.2 behavioural notes). Symmetric blobs name only their key
 * material; the key is found from it (facts §2.10).
 */
import type { KmsRequest } from '../api';
import {
  algorithmsFor,
  DATA_KEY_PAIR_SPECS,
  type DataKeyPairSpec,
  type EncryptionAlgorithm,
} from '../crypto/specs';
import { KmsError } from '../errors';
import { keyOfMaterial, type KeyRecord } from '../kms-state';
import type { Call, Operation } from './context';
import { material, requireAlgorithm, requireSymmetricEncryption, requireUsage } from './usage';

type Context = Record<string, string>;

const invalidCiphertext = () => new KmsError('InvalidCiphertextException', '');
// API Decrypt, IncorrectKeyException (conformance decrypt-with-wrong-key).
const incorrectKey = () =>
  new KmsError(
    'IncorrectKeyException',
    'The key ID in the request does not identify a CMK that can perform this operation.',
  );

const encryptionAlgorithmsOf = (key: KeyRecord) =>
  algorithmsFor(key.keySpec, 'ENCRYPT_DECRYPT').EncryptionAlgorithms;

async function encryptUnder(
  call: Call,
  key: KeyRecord,
  plaintext: Uint8Array,
  context: Context | undefined,
  algorithm: EncryptionAlgorithm,
): Promise<{ blob: Uint8Array; materialId?: string }> {
  requireUsage(call, key, 'ENCRYPT_DECRYPT');
  requireAlgorithm(key, algorithm, encryptionAlgorithmsOf(key));
  const current = material(key);
  if (algorithm === 'SYMMETRIC_DEFAULT')
    return { blob: await call.core.hsm.encrypt(current.id, plaintext, context), materialId: current.id };
  // API Encrypt: the HSM refuses RSA plaintexts over the OAEP limit of the key spec (ValidationException).
  return { blob: await call.core.hsm.encryptAsymmetric(current.id, algorithm, plaintext) };
}

/** The key a ciphertext belongs to: the KeyId given, checked against the blob, or the one the blob names. */
function keyForCiphertext(call: Call, blob: Uint8Array, written: string | undefined): KeyRecord {
  const given = written ? call.key(written) : undefined;
  const materialId = call.core.hsm.materialIdOf(blob);
  const owner = materialId ? keyOfMaterial(call.state, materialId) : undefined;
  const usable = owner && owner.region === call.region ? owner : undefined;
  if (given && given.keySpec !== 'SYMMETRIC_DEFAULT') {
    // A symmetric blob with another key's id is the wrong key, whatever that key is (conformance decrypt-with-wrong-key).
    if (usable) throw incorrectKey();
    return given;
  }
  if (given) {
    if (!usable) throw invalidCiphertext();
    if (usable !== given) throw incorrectKey();
    return given;
  }
  if (!usable) throw invalidCiphertext();
  return call.used(usable);
}

async function decryptWith(
  call: Call,
  key: KeyRecord,
  blob: Uint8Array,
  context: Context | undefined,
  algorithm: EncryptionAlgorithm,
): Promise<{ plaintext: Uint8Array; materialId?: string }> {
  requireUsage(call, key, 'ENCRYPT_DECRYPT');
  requireAlgorithm(key, algorithm, encryptionAlgorithmsOf(key));
  const hsm = call.core.hsm;
  // A blob that does not open is the HSM's InvalidCiphertextException.
  if (algorithm !== 'SYMMETRIC_DEFAULT')
    return { plaintext: await hsm.decryptAsymmetric(material(key).id, algorithm, blob) };
  // keyForCiphertext found `key` by the blob's material; imported material that was deleted opens nothing.
  const materialId = hsm.materialIdOf(blob);
  if (!materialId || !hsm.has(materialId)) throw invalidCiphertext();
  return { plaintext: await hsm.decrypt(materialId, blob, context), materialId };
}

export const Encrypt: Operation = async (call, request) => {
  const key = call.key(request.KeyId as string);
  call.authorize(key, request.KeyId as string);
  call.requireState('crypto', key);
  const algorithm = (request.EncryptionAlgorithm ?? 'SYMMETRIC_DEFAULT') as EncryptionAlgorithm;
  const { blob, materialId } = await encryptUnder(
    call,
    key,
    request.Plaintext as Uint8Array,
    request.EncryptionContext as Context,
    algorithm,
  );
  if (materialId) call.additionalEventData = { keyMaterialId: materialId };
  return { CiphertextBlob: blob, KeyId: key.arn, EncryptionAlgorithm: algorithm };
};

export const Decrypt: Operation = async (call, request) => {
  const blob = request.CiphertextBlob as Uint8Array;
  const key = keyForCiphertext(call, blob, request.KeyId as string | undefined);
  call.authorize(key, request.KeyId as string | undefined);
  call.requireState('crypto', key);
  const algorithm = (request.EncryptionAlgorithm ?? 'SYMMETRIC_DEFAULT') as EncryptionAlgorithm;
  // facts §3.1: Decrypt always records its encryptionAlgorithm, even when the caller left it out.
  call.impliedParameters.encryptionAlgorithm = algorithm;
  const { plaintext, materialId } = await decryptWith(
    call,
    key,
    blob,
    request.EncryptionContext as Context,
    algorithm,
  );
  if (materialId) call.additionalEventData = { keyMaterialId: materialId };
  return { KeyId: key.arn, Plaintext: plaintext, EncryptionAlgorithm: algorithm, KeyMaterialId: materialId };
};

export const ReEncrypt: Operation = async (call, request) => {
  const blob = request.CiphertextBlob as Uint8Array;
  const source = keyForCiphertext(call, blob, request.SourceKeyId as string | undefined);
  const destination = call.key(request.DestinationKeyId as string);
  // DEF: the engine checks kms:ReEncryptFrom on the source and kms:ReEncryptTo on the destination.
  call.authorize(source, request.SourceKeyId as string | undefined, {
    encryptionContext: request.SourceEncryptionContext as Context | undefined,
  });
  call.requireState('crypto', source);
  call.requireState('crypto', destination);
  const sourceAlgorithm = (request.SourceEncryptionAlgorithm ?? 'SYMMETRIC_DEFAULT') as EncryptionAlgorithm;
  const destinationAlgorithm = (request.DestinationEncryptionAlgorithm ??
    'SYMMETRIC_DEFAULT') as EncryptionAlgorithm;
  requireUsage(call, destination, 'ENCRYPT_DECRYPT');
  const opened = await decryptWith(
    call,
    source,
    blob,
    request.SourceEncryptionContext as Context,
    sourceAlgorithm,
  );
  const sealed = await encryptUnder(
    call,
    destination,
    opened.plaintext,
    request.DestinationEncryptionContext as Context,
    destinationAlgorithm,
  );
  call.additionalEventData = {
    ...(opened.materialId ? { sourceKeyMaterialId: opened.materialId } : {}),
    ...(sealed.materialId ? { destinationKeyMaterialId: sealed.materialId } : {}),
  };
  return {
    CiphertextBlob: sealed.blob,
    SourceKeyId: source.arn,
    KeyId: destination.arn,
    SourceEncryptionAlgorithm: sourceAlgorithm,
    DestinationEncryptionAlgorithm: destinationAlgorithm,
    SourceKeyMaterialId: opened.materialId,
    DestinationKeyMaterialId: sealed.materialId,
  };
};

/** API GenerateDataKey: exactly one of KeySpec and NumberOfBytes. */
function dataKeyLength(request: KmsRequest): number {
  const hasSpec = request.KeySpec !== undefined;
  const hasBytes = request.NumberOfBytes !== undefined;
  if (hasSpec === hasBytes)
    throw new KmsError('ValidationException', 'Please specify either number of bytes or key spec.');
  return hasBytes ? (request.NumberOfBytes as number) : request.KeySpec === 'AES_128' ? 16 : 32;
}

async function dataKey(call: Call, request: KmsRequest) {
  const length = dataKeyLength(request);
  const key = call.key(request.KeyId as string);
  call.authorize(key, request.KeyId as string);
  call.requireState('crypto', key);
  requireSymmetricEncryption(call, key);
  const plaintext = call.core.hsm.random(length);
  const current = material(key);
  const blob = await call.core.hsm.encrypt(current.id, plaintext, request.EncryptionContext as Context);
  call.additionalEventData = { keyMaterialId: current.id };
  return { key, plaintext, blob, materialId: current.id };
}

export const GenerateDataKey: Operation = async (call, request) => {
  const { key, plaintext, blob, materialId } = await dataKey(call, request);
  return { CiphertextBlob: blob, Plaintext: plaintext, KeyId: key.arn, KeyMaterialId: materialId };
};

export const GenerateDataKeyWithoutPlaintext: Operation = async (call, request) => {
  const { key, blob, materialId } = await dataKey(call, request);
  return { CiphertextBlob: blob, KeyId: key.arn, KeyMaterialId: materialId };
};

async function dataKeyPair(call: Call, request: KmsRequest) {
  const key = call.key(request.KeyId as string);
  call.authorize(key, request.KeyId as string);
  call.requireState('crypto', key);
  requireSymmetricEncryption(call, key);
  const spec = request.KeyPairSpec as DataKeyPairSpec;
  // Departures (docs/kms.md): no SM2, Ed25519 or ML-DSA pairs.
  if (!DATA_KEY_PAIR_SPECS.includes(spec))
    throw new KmsError('UnsupportedOperationException', `KeyPairSpec ${spec} is not supported by the lab.`);
  const pair = await call.core.hsm.generateDataKeyPair(spec);
  const current = material(key);
  const blob = await call.core.hsm.encrypt(current.id, pair.privateKey, request.EncryptionContext as Context);
  call.additionalEventData = { keyMaterialId: current.id };
  return { key, pair, blob, spec, materialId: current.id };
}

export const GenerateDataKeyPair: Operation = async (call, request) => {
  const { key, pair, blob, spec, materialId } = await dataKeyPair(call, request);
  return {
    PrivateKeyCiphertextBlob: blob,
    PrivateKeyPlaintext: pair.privateKey,
    PublicKey: pair.publicKey,
    KeyId: key.arn,
    KeyPairSpec: spec,
    KeyMaterialId: materialId,
  };
};

export const GenerateDataKeyPairWithoutPlaintext: Operation = async (call, request) => {
  const { key, pair, blob, spec, materialId } = await dataKeyPair(call, request);
  return {
    PrivateKeyCiphertextBlob: blob,
    PublicKey: pair.publicKey,
    KeyId: key.arn,
    KeyPairSpec: spec,
    KeyMaterialId: materialId,
  };
};

export const GenerateRandom: Operation = async (call, request) => {
  // API GenerateRandom (conformance generaterandom-invalid-none): NumberOfBytes is optional in the model, not in use.
  if (request.NumberOfBytes === undefined || request.NumberOfBytes === null)
    throw new KmsError('ValidationException', 'NumberOfBytes is required.');
  if (request.CustomKeyStoreId !== undefined)
    throw new KmsError('CustomKeyStoreNotFoundException', 'The lab has no custom key stores.');
  call.authorize(undefined);
  return { Plaintext: call.core.hsm.random(request.NumberOfBytes as number) };
};
