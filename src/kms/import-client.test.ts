import { describe, expect, it } from 'vitest';
import { randomMaterial, wrapMaterial } from './import-client';
import { createKms, LAB_ADMIN } from './kms';

const admin = { principalArn: LAB_ADMIN };

describe('import from the page', () => {
  it('wraps random material that the KMS imports, with an expiry the clock runs', async () => {
    const kms = createKms({ clock: new Date('2026-01-01T00:00:00Z') });
    const { KeyMetadata } = (await kms.call('CreateKey', { Origin: 'EXTERNAL' }, admin)) as {
      KeyMetadata: { KeyId: string; KeyState: string };
    };
    expect(KeyMetadata.KeyState).toBe('PendingImport');
    const KeyId = KeyMetadata.KeyId;
    const params = (await kms.call(
      'GetParametersForImport',
      { KeyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' },
      admin,
    )) as { PublicKey: Uint8Array; ImportToken: Uint8Array };
    const material = randomMaterial('SYMMETRIC_DEFAULT');
    expect(material).toHaveLength(32);
    await kms.call(
      'ImportKeyMaterial',
      {
        KeyId,
        ImportToken: params.ImportToken,
        EncryptedKeyMaterial: await wrapMaterial(params.PublicKey, material),
        ExpirationModel: 'KEY_MATERIAL_EXPIRES',
        ValidTo: new Date('2026-01-10T00:00:00Z'),
      },
      admin,
    );
    await kms.call('Encrypt', { KeyId, Plaintext: new Uint8Array([1, 2]) }, admin);
    await kms.clock.advance({ days: 10 });
    expect(kms.view().keys[Object.keys(kms.view().keys)[0]].state).toBe('PendingImport');
  });
  it('makes HMAC material as long as the spec and refuses asymmetric specs', () => {
    expect(randomMaterial('HMAC_384')).toHaveLength(48);
    expect(() => randomMaterial('RSA_2048')).toThrow(/PKCS#8/);
  });
});
