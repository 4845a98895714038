/** Sign, Verify, GetPublicKey, GenerateMac, VerifyMac (API reference of each; facts §2.2, §2.4). */
import type { KmsRequest } from '../api';
import {
  algorithmsFor,
  macAlgorithmOf,
  signingAlgorithmsOf,
  type KeyUsage,
  type MacAlgorithm,
  type MessageType,
  type SigningAlgorithm,
} from '../crypto/specs';
import { KmsError } from '../errors';
import type { KeyRecord } from '../kms-state';
import { compact, type Call, type Operation } from './context';
import { material, requireAlgorithm, requireUsage } from './usage';

function signingKey(
  call: Call,
  request: KmsRequest,
): { key: KeyRecord; algorithm: SigningAlgorithm; messageType: MessageType } {
  const key = call.key(request.KeyId as string);
  call.authorize(key, request.KeyId as string);
  call.requireState('asymmetric', key);
  requireUsage(call, key, 'SIGN_VERIFY');
  const algorithm = request.SigningAlgorithm as SigningAlgorithm;
  requireAlgorithm(key, algorithm, signingAlgorithmsOf(key.keySpec));
  const messageType = (request.MessageType ?? 'RAW') as MessageType | 'EXTERNAL_MU';
  // A DIGEST of the wrong length is the HSM's ValidationException (API Sign, MessageType).
  if (messageType === 'EXTERNAL_MU')
    throw new KmsError(
      'InvalidKeyUsageException',
      `Message type EXTERNAL_MU is incompatible with key spec ${key.keySpec}.`,
    );
  return { key, algorithm, messageType };
}

export const Sign: Operation = async (call, request) => {
  const { key, algorithm, messageType } = signingKey(call, request);
  const signature = await call.core.hsm.sign(
    material(key).id,
    algorithm,
    request.Message as Uint8Array,
    messageType,
  );
  return { KeyId: key.arn, Signature: signature, SigningAlgorithm: algorithm };
};

export const Verify: Operation = async (call, request) => {
  const { key, algorithm, messageType } = signingKey(call, request);
  const valid = await call.core.hsm.verify(
    material(key).id,
    algorithm,
    request.Message as Uint8Array,
    messageType,
    request.Signature as Uint8Array,
  );
  // API Verify: an invalid signature is an exception with no message, not SignatureValid false (facts §2.2).
  if (!valid) throw new KmsError('KMSInvalidSignatureException', '');
  return { KeyId: key.arn, SignatureValid: true, SigningAlgorithm: algorithm };
};

export const GetPublicKey: Operation = async (call, request) => {
  const key = call.key(request.KeyId as string);
  call.authorize(key, request.KeyId as string);
  call.requireState('asymmetric', key);
  if (key.keySpec === 'SYMMETRIC_DEFAULT' || key.keySpec.startsWith('HMAC_'))
    throw new KmsError(
      'UnsupportedOperationException',
      `${key.arn} key spec ${key.keySpec} has no public key.`,
    );
  const usage = key.keyUsage;
  const algorithms = algorithmsFor(key.keySpec, usage as KeyUsage);
  return compact({
    KeyId: key.arn,
    PublicKey: await call.core.hsm.publicKey(material(key).id),
    CustomerMasterKeySpec: key.keySpec,
    KeySpec: key.keySpec,
    KeyUsage: usage,
    EncryptionAlgorithms: algorithms.EncryptionAlgorithms,
    SigningAlgorithms: algorithms.SigningAlgorithms,
    KeyAgreementAlgorithms: algorithms.KeyAgreementAlgorithms,
  });
};

function macKey(call: Call, request: KmsRequest): { key: KeyRecord; algorithm: MacAlgorithm } {
  const key = call.key(request.KeyId as string);
  call.authorize(key, request.KeyId as string);
  call.requireState('asymmetric', key);
  requireUsage(call, key, 'GENERATE_VERIFY_MAC');
  const algorithm = request.MacAlgorithm as MacAlgorithm;
  requireAlgorithm(key, algorithm, [macAlgorithmOf(key.keySpec)]);
  return { key, algorithm };
}

export const GenerateMac: Operation = async (call, request) => {
  const { key, algorithm } = macKey(call, request);
  const mac = await call.core.hsm.generateMac(material(key).id, algorithm, request.Message as Uint8Array);
  return { Mac: mac, MacAlgorithm: algorithm, KeyId: key.arn };
};

export const VerifyMac: Operation = async (call, request) => {
  const { key, algorithm } = macKey(call, request);
  const valid = await call.core.hsm.verifyMac(
    material(key).id,
    algorithm,
    request.Message as Uint8Array,
    request.Mac as Uint8Array,
  );
  // API VerifyMac: a MAC that does not verify is KMSInvalidMacException (conformance verifymac-wrong-message).
  if (!valid) throw new KmsError('KMSInvalidMacException', '');
  return { KeyId: key.arn, MacValid: true, MacAlgorithm: algorithm };
};
