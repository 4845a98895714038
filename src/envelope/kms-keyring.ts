/**
 * The KMS keyring (ESDK "AWS KMS keyrings"; facts §4.3) over the lab's simulated KMS, through the `KmsApi` contract
 * only (`call(operation, request, caller)`), so the same keyring works against `createKms` in the tab and against
 * any other implementation of that contract.
 * - Encrypt: GenerateDataKey with the generator key (the plaintext is the data key, the ciphertext its first EDK),
 *   then Encrypt of the data key under each additional key, so one message opens with keys in several accounts.
 *   Every call carries the message's encryption context, so KMS binds it to each EDK.
 * - EDK: provider ID "aws-kms", provider info the key ARN KMS answered with, the KMS ciphertext blob.
 * - Decrypt: the EDKs with provider ID "aws-kms", in header order: those of the configured keys (by ARN, or by key
 *   ID as the last part of the ARN), or with `discovery` every one; Decrypt with the EDK's key ARN as KeyId and the
 *   context, until one succeeds. The answer's KeyId must be that ARN (ESDK KMS keyring).
 */
import type { KmsApi, KmsCaller } from '../kms/api';
import { decodeUtf8 } from './bytes';
import { EnvelopeError } from './errors';
import type { EncryptedDataKey } from './header';
import type { DecryptionRequest, EncryptionMaterials, EncryptionRequest, Keyring } from './keyring';
import { describeProviders } from './raw-aes-keyring';

export const KMS_PROVIDER_ID = 'aws-kms';

export interface KmsKeyringOptions {
  kms: Pick<KmsApi, 'call'>;
  /** Who the keyring calls KMS as. */
  caller: KmsCaller;
  /** Makes the data key on encrypt (GenerateDataKey). Needed to encrypt unless another keyring made the key. */
  generatorKeyId?: string;
  /** Each also encrypts the data key (Encrypt). */
  keyIds?: string[];
  grantTokens?: string[];
  /** Decrypt with any "aws-kms" EDK (the ESDK's discovery keyring); KMS authorization then decides. */
  discovery?: boolean;
}

const errorText = (error: unknown) =>
  error instanceof Error
    ? `${error.name && error.name !== 'Error' ? `${error.name}: ` : ''}${error.message}`
    : String(error);

function kmsFailure(operation: string, keyId: string, error: unknown): EnvelopeError {
  return new EnvelopeError('KMS', `KMS ${operation} with ${keyId} failed: ${errorText(error)}`);
}

export function createKmsKeyring(options: KmsKeyringOptions): Keyring {
  const { kms, caller, generatorKeyId, grantTokens } = options;
  const keyIds = options.keyIds ?? [];
  if (!generatorKeyId && keyIds.length === 0 && !options.discovery)
    throw new EnvelopeError('BAD_OPTION', 'a KMS keyring needs a generator key, key IDs, or discovery');
  const configured = [...(generatorKeyId ? [generatorKeyId] : []), ...keyIds];
  const withContext = (context: Record<string, string>) =>
    Object.keys(context).length ? { EncryptionContext: context } : {};
  const withGrants = grantTokens?.length ? { GrantTokens: grantTokens } : {};

  const edkOf = (response: Record<string, unknown>, operation: string): EncryptedDataKey => {
    const { KeyId, CiphertextBlob } = response;
    if (typeof KeyId !== 'string' || !(CiphertextBlob instanceof Uint8Array))
      throw new EnvelopeError('KMS', `KMS ${operation} answered without KeyId and CiphertextBlob`);
    return {
      providerId: KMS_PROVIDER_ID,
      providerInfo: new TextEncoder().encode(KeyId),
      ciphertext: CiphertextBlob,
    };
  };

  const mayTry = (arn: string) =>
    options.discovery ||
    configured.some((id) => id === arn || (!id.startsWith('arn:') && arn.endsWith(`:key/${id}`)));

  return {
    async onEncrypt({ suite, encryptionContext, dataKey }: EncryptionRequest): Promise<EncryptionMaterials> {
      const encryptedDataKeys: EncryptedDataKey[] = [];
      let plaintextKey = dataKey;
      let wrappers = configured;
      if (!plaintextKey) {
        if (!generatorKeyId)
          throw new EnvelopeError(
            'BAD_OPTION',
            'a KMS keyring without a generator key cannot make a data key',
          );
        let response: Record<string, unknown>;
        try {
          response = await kms.call(
            'GenerateDataKey',
            {
              KeyId: generatorKeyId,
              NumberOfBytes: suite.keyLength,
              ...withContext(encryptionContext),
              ...withGrants,
            },
            caller,
          );
        } catch (error) {
          throw kmsFailure('GenerateDataKey', generatorKeyId, error);
        }
        if (!(response.Plaintext instanceof Uint8Array))
          throw new EnvelopeError('KMS', 'KMS GenerateDataKey answered without Plaintext');
        plaintextKey = response.Plaintext;
        encryptedDataKeys.push(edkOf(response, 'GenerateDataKey'));
        wrappers = keyIds;
      }
      for (const keyId of wrappers) {
        try {
          const response = await kms.call(
            'Encrypt',
            { KeyId: keyId, Plaintext: plaintextKey, ...withContext(encryptionContext), ...withGrants },
            caller,
          );
          encryptedDataKeys.push(edkOf(response, 'Encrypt'));
        } catch (error) {
          throw error instanceof EnvelopeError ? error : kmsFailure('Encrypt', keyId, error);
        }
      }
      return { dataKey: plaintextKey, encryptedDataKeys };
    },

    async onDecrypt({ encryptionContext, encryptedDataKeys }: DecryptionRequest): Promise<Uint8Array> {
      const failures: string[] = [];
      let candidates = 0;
      for (const [index, edk] of encryptedDataKeys.entries()) {
        if (edk.providerId !== KMS_PROVIDER_ID) continue;
        const arn = decodeUtf8(edk.providerInfo);
        if (arn === undefined || !mayTry(arn)) continue;
        candidates++;
        try {
          const response = await kms.call(
            'Decrypt',
            { KeyId: arn, CiphertextBlob: edk.ciphertext, ...withContext(encryptionContext), ...withGrants },
            caller,
          );
          if (response.KeyId !== arn || !(response.Plaintext instanceof Uint8Array)) {
            failures.push(`EDK ${index + 1} (${arn}): KMS answered for ${String(response.KeyId)}`);
            continue;
          }
          return response.Plaintext;
        } catch (error) {
          failures.push(`EDK ${index + 1} (${arn}): ${errorText(error)}`);
        }
      }
      throw new EnvelopeError(
        'NO_DATA_KEY',
        candidates
          ? `KMS decrypted none of the data keys: ${failures.join('; ')}`
          : `no encrypted data key is for ${options.discovery ? 'KMS' : configured.join(', ')} ` +
              `(the message has ${describeProviders(encryptedDataKeys)})`,
      );
    },
  };
}
