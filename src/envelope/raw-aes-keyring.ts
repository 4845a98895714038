/**
 * The raw AES keyring (ESDK specification, "Raw AES Keyring"; facts §4.3), byte-compatible with the SDKs' own:
 * - provider ID: the key namespace; provider info: key name (UTF-8) ‖ tag length in bits (4, 128) ‖ IV length
 *   (4, 12) ‖ IV (12);
 * - encrypted data key: AES-GCM under the wrapping key of the data key, with the serialized encryption context
 *   (count and pairs, without the 2-byte length: the header's AAD field) as AAD, ‖ tag.
 * On decrypt it tries, in order, every EDK whose provider ID is its namespace and whose provider info is its key
 * name followed by that layout.
 */
import { compareBytes, concat, own, randomBytes, u32, utf8, view } from './bytes';
import { serializeContextPairs } from './encryption-context';
import { EnvelopeError } from './errors';
import type { EncryptedDataKey } from './header';
import { importWebCryptoAesKey } from './crypto-backend';
import type { DecryptionRequest, EncryptionMaterials, EncryptionRequest, Keyring } from './keyring';

const TAG_BITS = 128;
const IV_LENGTH = 12;

export interface RawAesKeyringOptions {
  keyNamespace: string;
  keyName: string;
  /** The wrapping key: 16, 24 or 32 bytes. */
  wrappingKey: Uint8Array;
}

export function createRawAesKeyring(options: RawAesKeyringOptions): Keyring {
  const { keyNamespace, keyName, wrappingKey } = options;
  if (!keyNamespace || !keyName)
    throw new EnvelopeError('BAD_OPTION', 'a raw AES keyring needs a key namespace and a key name');
  // ESDK specification, "Raw AES Keyring": the namespace must not claim to be KMS.
  if (keyNamespace.startsWith('aws-kms'))
    throw new EnvelopeError('BAD_OPTION', 'a raw AES key namespace may not start with "aws-kms"');
  if (![16, 24, 32].includes(wrappingKey.length))
    throw new EnvelopeError(
      'BAD_OPTION',
      `a raw AES wrapping key is 16, 24 or 32 bytes, not ${wrappingKey.length}`,
    );
  const nameBytes = utf8(keyName);
  const keyPromise = importWebCryptoAesKey(wrappingKey);
  const label = `raw AES key ${keyNamespace}/${keyName}`;

  return {
    async onEncrypt({ suite, encryptionContext, dataKey }: EncryptionRequest): Promise<EncryptionMaterials> {
      const plaintextKey = dataKey ?? randomBytes(suite.keyLength);
      const iv = randomBytes(IV_LENGTH);
      const aad = serializeContextPairs(encryptionContext);
      const sealed = await globalThis.crypto.subtle.encrypt(
        { name: 'AES-GCM', iv, additionalData: own(aad), tagLength: TAG_BITS },
        await keyPromise,
        own(plaintextKey),
      );
      const edk: EncryptedDataKey = {
        providerId: keyNamespace,
        providerInfo: concat(nameBytes, u32(TAG_BITS), u32(IV_LENGTH), iv),
        ciphertext: new Uint8Array(sealed),
      };
      return { dataKey: plaintextKey, encryptedDataKeys: [edk] };
    },

    async onDecrypt({ suite, encryptionContext, encryptedDataKeys }: DecryptionRequest): Promise<Uint8Array> {
      const aad = serializeContextPairs(encryptionContext);
      const failures: string[] = [];
      for (const [index, edk] of encryptedDataKeys.entries()) {
        if (edk.providerId !== keyNamespace) continue;
        const info = edk.providerInfo;
        if (
          info.length < nameBytes.length ||
          compareBytes(info.subarray(0, nameBytes.length), nameBytes) !== 0
        )
          continue;
        const layout = info.subarray(nameBytes.length);
        const fields = layout.length === 8 + IV_LENGTH ? view(layout) : undefined;
        if (!fields || fields.getUint32(0) !== TAG_BITS || fields.getUint32(4) !== IV_LENGTH) {
          failures.push(`EDK ${index + 1}: provider info is not key name ‖ 128 ‖ 12 ‖ IV`);
          continue;
        }
        if (edk.ciphertext.length !== suite.keyLength + TAG_BITS / 8) {
          failures.push(
            `EDK ${index + 1}: ${edk.ciphertext.length} bytes, not ${suite.keyLength + TAG_BITS / 8}`,
          );
          continue;
        }
        try {
          const opened = await globalThis.crypto.subtle.decrypt(
            { name: 'AES-GCM', iv: own(layout.subarray(8)), additionalData: own(aad), tagLength: TAG_BITS },
            await keyPromise,
            own(edk.ciphertext),
          );
          return new Uint8Array(opened);
        } catch {
          failures.push(
            `EDK ${index + 1}: the tag does not verify (another key, or another encryption context)`,
          );
        }
      }
      throw new EnvelopeError(
        'NO_DATA_KEY',
        failures.length
          ? `${label} could not decrypt the data key: ${failures.join('; ')}`
          : `no encrypted data key is for ${label} (the message has ${describeProviders(encryptedDataKeys)})`,
      );
    },
  };
}

/** "2 EDKs: aws-kms, aws-kms" — what a refused keyring says it found. */
export function describeProviders(edks: readonly EncryptedDataKey[]): string {
  return `${edks.length} encrypted data key${edks.length === 1 ? '' : 's'}: ${edks.map((edk) => edk.providerId).join(', ')}`;
}
