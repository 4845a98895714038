import { describe, expect, it } from 'vitest';
import { createTestHsm } from './test-hsm';
import { utf8 } from './bytes';

describe('test HSM', () => {
  it('binds the exact encryption context', async () => {
    const hsm = createTestHsm();
    const id = await hsm.generate('SYMMETRIC_DEFAULT');
    const blob = await hsm.encrypt(id, utf8('secret'), { a: 'bc' });
    expect(hsm.materialIdOf(blob)).toBe(id);
    expect((await hsm.decrypt(blob, { a: 'bc' })).plaintext).toEqual(utf8('secret'));
    await expect(hsm.decrypt(blob, { ab: 'c' })).rejects.toThrow();
    await expect(hsm.decrypt(blob.slice(0, -1), { a: 'bc' })).rejects.toThrow();
  });

  it.each(['RSA_2048', 'ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521', 'ECC_SECG_P256K1'])(
    'signs and verifies with %s, RAW and DIGEST',
    async (spec) => {
      const hsm = createTestHsm();
      const id = await hsm.generate(spec);
      const algorithm = spec.startsWith('RSA')
        ? 'RSASSA_PSS_SHA_256'
        : spec === 'ECC_NIST_P384'
          ? 'ECDSA_SHA_384'
          : spec === 'ECC_NIST_P521'
            ? 'ECDSA_SHA_512'
            : 'ECDSA_SHA_256';
      const message = utf8('hello');
      const signature = await hsm.sign(id, algorithm, 'RAW', message);
      expect(await hsm.verify(id, algorithm, 'RAW', message, signature)).toBe(true);
      expect(await hsm.verify(id, algorithm, 'RAW', utf8('other'), signature)).toBe(false);
      const digest = new Uint8Array(
        await crypto.subtle.digest(
          algorithm.endsWith('384') ? 'SHA-384' : algorithm.endsWith('512') ? 'SHA-512' : 'SHA-256',
          message as Uint8Array<ArrayBuffer>,
        ),
      );
      expect(await hsm.verify(id, algorithm, 'DIGEST', digest, signature)).toBe(true);
      expect((await hsm.publicKey(id))[0]).toBe(0x30);
    },
  );

  it('restores its materials from a JSON snapshot', async () => {
    const hsm = createTestHsm();
    const id = await hsm.generate('SYMMETRIC_DEFAULT');
    const blob = await hsm.encrypt(id, utf8('x'), {});
    const copy = createTestHsm();
    await copy.restore(JSON.parse(JSON.stringify(await hsm.snapshot())));
    expect((await copy.decrypt(blob, {})).plaintext).toEqual(utf8('x'));
  });
});
