/**
 * What the ESDK's default cryptographic materials manager does around a keyring (ESDK specification, "Default
 * CMM"): on encrypt, a signing key for signed suites, its public half added to the encryption context before the
 * keyring sees it (so KMS binds it too); on decrypt, the verification key taken back out of the context, and the
 * data key checked against the suite.
 */
import { PUBLIC_KEY_CONTEXT_KEY, setPair, type EncryptionContext } from './encryption-context';
import { EnvelopeError } from './errors';
import type { EncryptedDataKey, MessageHeader } from './header';
import type { Keyring } from './keyring';
import { generateSigningKey, parseVerificationKey, type SigningKey } from './signature';
import { suiteHex, type Suite } from './suites';

export interface EncryptionSetup {
  dataKey: Uint8Array;
  encryptedDataKeys: EncryptedDataKey[];
  /** The context the header carries: the caller's, plus the verification key for signed suites. */
  encryptionContext: EncryptionContext;
  signingKey?: SigningKey;
}

function checkDataKey(suite: Suite, dataKey: unknown): asserts dataKey is Uint8Array {
  if (!(dataKey instanceof Uint8Array) || dataKey.length !== suite.keyLength)
    throw new EnvelopeError(
      'NO_DATA_KEY',
      `the keyring returned a data key of ${dataKey instanceof Uint8Array ? dataKey.length : 'no'} bytes; ` +
        `suite ${suiteHex(suite.id)} needs ${suite.keyLength}`,
    );
}

export async function encryptionSetup(
  keyring: Keyring,
  suite: Suite,
  callerContext: EncryptionContext,
): Promise<EncryptionSetup> {
  const encryptionContext: EncryptionContext = { ...callerContext };
  const signingKey = suite.signature ? generateSigningKey(suite.signature.curve) : undefined;
  if (signingKey) setPair(encryptionContext, PUBLIC_KEY_CONTEXT_KEY, signingKey.publicKeyBase64);
  const materials = await keyring.onEncrypt({ suite, encryptionContext: { ...encryptionContext } });
  checkDataKey(suite, materials.dataKey);
  if (materials.encryptedDataKeys.length === 0)
    throw new EnvelopeError('NO_DATA_KEY', 'the keyring returned no encrypted data key');
  return {
    dataKey: materials.dataKey,
    encryptedDataKeys: materials.encryptedDataKeys,
    encryptionContext,
    signingKey,
  };
}

export interface DecryptionSetup {
  dataKey: Uint8Array;
  /** The compressed public point, for signed suites. */
  verificationKey?: Uint8Array;
}

export async function decryptionSetup(keyring: Keyring, header: MessageHeader): Promise<DecryptionSetup> {
  const { suite, encryptionContext } = header;
  const publicKey = encryptionContext[PUBLIC_KEY_CONTEXT_KEY];
  // Default CMM: a signed suite needs the verification key; an unsigned one must not carry one.
  let verificationKey: Uint8Array | undefined;
  if (suite.signature) verificationKey = parseVerificationKey(suite.signature.curve, publicKey);
  else if (publicKey !== undefined)
    throw new EnvelopeError(
      'ENCRYPTION_CONTEXT',
      `suite ${suiteHex(suite.id)} is not signed, but the encryption context has ${PUBLIC_KEY_CONTEXT_KEY}`,
    );
  const dataKey = await keyring.onDecrypt({
    suite,
    encryptionContext: { ...encryptionContext },
    encryptedDataKeys: header.encryptedDataKeys,
  });
  checkDataKey(suite, dataKey);
  return { dataKey, verificationKey };
}

/** Decrypt's `encryptionContext` option: pairs the message must carry (the CLI's --encryption-context). */
export function checkRequiredContext(
  required: EncryptionContext | undefined,
  actual: EncryptionContext,
): void {
  for (const [key, value] of Object.entries(required ?? {})) {
    if (!Object.prototype.hasOwnProperty.call(actual, key))
      throw new EnvelopeError(
        'ENCRYPTION_CONTEXT',
        `the message's encryption context has no ${JSON.stringify(key)}`,
      );
    if (actual[key] !== value)
      throw new EnvelopeError(
        'ENCRYPTION_CONTEXT',
        `the message's encryption context has ${JSON.stringify(key)}: ${JSON.stringify(actual[key])}, ` +
          `not ${JSON.stringify(value)}`,
      );
  }
}
