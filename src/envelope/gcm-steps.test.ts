import { gcm } from '@noble/ciphers/aes.js';
import { describe, expect, it } from 'vitest';
import { concat, fromHex, own, randomBytes, toHex } from './bytes';
import { gcmSteps } from './gcm-steps';

/** AES-256 test cases 13–16 of "The Galois/Counter Mode of Operation (GCM)" (McGrew and Viega, the NIST submission). */
const K15 = 'feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308';
const IV15 = 'cafebabefacedbaddecaf888';
const P15 =
  'd9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72' +
  '1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255';
const C15 =
  '522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa' +
  '8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad';
const VECTORS = [
  {
    name: 'test case 13',
    key: '00'.repeat(32),
    iv: '00'.repeat(12),
    aad: '',
    pt: '',
    ct: '',
    tag: '530f8afbc74536b9a963b4f1c4cb738b',
  },
  {
    name: 'test case 14',
    key: '00'.repeat(32),
    iv: '00'.repeat(12),
    aad: '',
    pt: '00'.repeat(16),
    ct: 'cea7403d4d606b6e074ec5d3baf39d18',
    tag: 'd0d1c8a799996bf0265b98b5d48ab919',
  },
  {
    name: 'test case 15',
    key: K15,
    iv: IV15,
    aad: '',
    pt: P15,
    ct: C15,
    tag: 'b094dac5d93471bdec1a502270e3cc6c',
  },
  {
    name: 'test case 16',
    key: K15,
    iv: IV15,
    aad: 'feedfacedeadbeeffeedfacedeadbeefabaddad2',
    pt: P15.slice(0, 120),
    ct: C15.slice(0, 120),
    tag: '76fc6ece0f4e1768cddf8853bb2d551b',
  },
];

async function webCryptoSeal(key: Uint8Array, iv: Uint8Array, aad: Uint8Array, pt: Uint8Array) {
  const handle = await crypto.subtle.importKey('raw', own(key), 'AES-GCM', false, ['encrypt']);
  return new Uint8Array(
    await crypto.subtle.encrypt({ name: 'AES-GCM', iv: own(iv), additionalData: own(aad) }, handle, own(pt)),
  );
}

async function allThree(key: Uint8Array, iv: Uint8Array, aad: Uint8Array, pt: Uint8Array) {
  const steps = gcmSteps(key, iv, aad, pt);
  return {
    steps: toHex(concat(steps.ciphertext, steps.tag)),
    noble: toHex(gcm(key, iv, aad).encrypt(pt)),
    webCrypto: toHex(await webCryptoSeal(key, iv, aad, pt)),
  };
}

describe('AES-256-GCM step by step with @noble/ciphers', () => {
  for (const v of VECTORS)
    it(`NIST GCM ${v.name}: the steps, noble's gcm and WebCrypto give the published bytes`, async () => {
      const out = await allThree(fromHex(v.key), fromHex(v.iv), fromHex(v.aad), fromHex(v.pt));
      expect(out).toEqual({ steps: v.ct + v.tag, noble: v.ct + v.tag, webCrypto: v.ct + v.tag });
    });

  it('random keys, IVs, AAD and plaintexts of every length up to 70 bytes agree', async () => {
    for (let length = 0; length <= 70; length++) {
      const inputs = [
        randomBytes(32),
        randomBytes(12),
        randomBytes(length % 37),
        randomBytes(length),
      ] as const;
      const out = await allThree(...inputs);
      expect(out.noble, `length ${length}`).toBe(out.webCrypto);
      expect(out.steps, `length ${length}`).toBe(out.webCrypto);
    }
  });

  it('shows the parts: counter blocks from inc32(J0), keystream XOR plaintext, tag = E(K, J0) XOR GHASH', () => {
    const steps = gcmSteps(fromHex(K15), fromHex(IV15), new Uint8Array(0), fromHex(P15).subarray(0, 20));
    expect(toHex(steps.preCounterBlock)).toBe(IV15 + '00000001');
    expect(steps.blocks.map((b) => toHex(b.counterBlock))).toEqual([IV15 + '00000002', IV15 + '00000003']);
    expect(steps.blocks[1].keystream).toHaveLength(16);
    expect(steps.blocks[1].ciphertext).toHaveLength(4); // the last partial block
    const b = steps.blocks[0];
    expect(b.ciphertext).toEqual(b.plaintext.map((x, i) => x ^ b.keystream[i]));
    expect(steps.tag).toEqual(steps.ghash.map((x, i) => x ^ steps.tagMask[i]));
    expect(steps.ghashInput.map((g) => g.label)).toEqual([
      'ciphertext block 1',
      'ciphertext block 2',
      'lengths (AAD bits, ciphertext bits)',
    ]);
    expect(toHex(steps.ghashInput[2].block)).toBe('0000000000000000' + '00000000000000a0');
  });
});
