/**
 * Published vectors for the primitives the HSM is built on: RFC 5649 AES key wrap with padding (§6), NIST's HMAC
 * examples (keylen = blocklen) through imported HMAC keys, NIST AES-GCM (GCM spec test case 14, AES-256) for the
 * WebCrypto primitive behind SYMMETRIC_DEFAULT, and RFC 6979 A.2.5 (P-256, "sample") for ECDSA verification.
 */
import { aeskwp } from '@noble/ciphers/aes.js';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex, utf8 } from './bytes';
import { ecdsaRawToDer, ecPkcs8 } from './der';
import { hash } from './hashes';
import { createHsm } from './hsm';

describe('RFC 5649 AES key wrap with padding (§6)', () => {
  const kek = fromHex('5840df6e29b02af1ab493b705bf16ea1ae8338f4dcc176a8');
  const cases = [
    [
      'c37b7e6492584340bed12207808941155068f738',
      '138bdeaa9b8fa7fc61f97742e72248ee5ae6ae5360d1ae6a5f54f373fa543b6a',
    ],
    ['466f7250617369', 'afbeb0f07dfbf5419200f2ccb50bb24f'],
  ];
  it.each(cases)('wraps and unwraps %s', (key, wrapped) => {
    expect(toHex(aeskwp(kek).encrypt(fromHex(key)))).toBe(wrapped);
    expect(toHex(aeskwp(kek).decrypt(fromHex(wrapped)))).toBe(key);
  });
  it('refuses a wrapped key with one bit changed', () => {
    const altered = fromHex(cases[0][1]);
    altered[5] ^= 1;
    expect(() => aeskwp(kek).decrypt(altered)).toThrow();
  });
});

describe('NIST HMAC examples (keylen = blocklen) through imported HMAC keys', () => {
  const message = utf8('Sample message for keylen=blocklen');
  const key = (length: number) => Uint8Array.from({ length }, (_, i) => i);
  const cases = [
    ['HMAC_224', 'HMAC_SHA_224', 64, 'c7405e3ae058e8cd30b08b4140248581ed174cb34e1224bcc1efc81b'],
    ['HMAC_256', 'HMAC_SHA_256', 64, '8bb9a1db9806f20df7f77b82138c7914d174d59e13dc4d0169c9057b133e1d62'],
    [
      'HMAC_384',
      'HMAC_SHA_384',
      128,
      '63c5daa5e651847ca897c95814ab830bededc7d25e83eef9195cd45857a37f448947858f5af50cc2b1b730ddf29671a9',
    ],
    [
      'HMAC_512',
      'HMAC_SHA_512',
      128,
      'fc25e240658ca785b7a811a8d3f7b4ca48cfa26a8a366bf2cd1f836b05fcb024bd36853081811d6cea4216ebad79da1cfcb95ea4586b8a0ce356596a55fb1347',
    ],
  ] as const;
  it.each(cases)('%s gives the published tag', async (keySpec, algorithm, keyLength, tag) => {
    const hsm = createHsm();
    const id = await hsm.importMaterial({ keySpec, keyId: 'k' }, key(keyLength));
    expect(toHex(await hsm.generateMac(id, algorithm, message))).toBe(tag);
    await expect(hsm.verifyMac(id, algorithm, message, fromHex(tag))).resolves.toBe(true);
  });
});

describe('NIST AES-GCM (GCM spec test case 14: AES-256, zero key, zero IV, one zero block)', () => {
  it('WebCrypto AES-256-GCM gives the published ciphertext and tag', async () => {
    const key = await crypto.subtle.importKey('raw', new Uint8Array(32), 'AES-GCM', false, ['encrypt']);
    const out = await crypto.subtle.encrypt(
      { name: 'AES-GCM', iv: new Uint8Array(12) },
      key,
      new Uint8Array(16),
    );
    expect(toHex(new Uint8Array(out))).toBe(
      'cea7403d4d606b6e074ec5d3baf39d18' + 'd0d1c8a799996bf0265b98b5d48ab919',
    );
  });
});

describe('RFC 6979 A.2.5 (ECDSA P-256, SHA-256, message "sample")', () => {
  const scalar = fromHex('c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721');
  const point = fromHex(
    '04' +
      '60fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6' +
      '7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299',
  );
  const signature = ecdsaRawToDer(
    fromHex(
      'efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716' +
        'f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8',
    ),
  );
  it('an imported key verifies the published signature as RAW and as DIGEST', async () => {
    const hsm = createHsm();
    const id = await hsm.importMaterial(
      { keySpec: 'ECC_NIST_P256', keyId: 'k' },
      ecPkcs8('P-256', scalar, point),
    );
    const message = utf8('sample');
    await expect(hsm.verify(id, 'ECDSA_SHA_256', message, 'RAW', signature)).resolves.toBe(true);
    const digest = hash('SHA-256', message);
    await expect(hsm.verify(id, 'ECDSA_SHA_256', digest, 'DIGEST', signature)).resolves.toBe(true);
    await expect(hsm.verify(id, 'ECDSA_SHA_256', utf8('samplf'), 'RAW', signature)).resolves.toBe(false);
  });
});
