/**
 * Keyrings (ESDK "Keyrings"; the ESDK specification's keyring interface): on encrypt a keyring makes or receives
 * the plaintext data key and adds its encrypted copies; on decrypt it turns one of the message's encrypted data keys
 * back into the data key. They exchange plain data, so a keyring can sit behind a Worker's message port.
 */
import type { EncryptionContext } from './encryption-context';
import type { EncryptedDataKey } from './header';
import type { Suite } from './suites';

export interface EncryptionRequest {
  suite: Suite;
  /** The context the message will carry, with `aws-crypto-public-key` for signed suites. */
  encryptionContext: EncryptionContext;
  /** A data key another keyring already made; this keyring then only encrypts it. */
  dataKey?: Uint8Array;
}

export interface EncryptionMaterials {
  dataKey: Uint8Array;
  /** Every encrypted data key the message will carry (a keyring given a data key returns only its own). */
  encryptedDataKeys: EncryptedDataKey[];
}

export interface DecryptionRequest {
  suite: Suite;
  encryptionContext: EncryptionContext;
  encryptedDataKeys: readonly EncryptedDataKey[];
}

export interface Keyring {
  onEncrypt(request: EncryptionRequest): Promise<EncryptionMaterials>;
  /** Resolves to the data key, or rejects with `NO_DATA_KEY` saying what was tried and why each failed. */
  onDecrypt(request: DecryptionRequest): Promise<Uint8Array>;
}
