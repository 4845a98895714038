/**
 * AES-256-GCM taken apart for the step view (NIST SP 800-38D, "GCM specification", §6–7), computed with
 * @noble/ciphers' primitives (AES block encryption through ECB on single blocks, and its GHASH), so each
 * intermediate value can be shown: the hash key H, the pre-counter block J0, each counter block, its keystream
 * block, the XOR with the plaintext, the GHASH input blocks and output S, and the tag E(K, J0) XOR S. The result
 * is the same ciphertext and tag as any AES-GCM (gcm-steps.test.ts checks it against noble's gcm and WebCrypto).
 * Meant for short messages: every block is kept.
 */
import { ecb } from '@noble/ciphers/aes.js';
import { ghash } from '@noble/ciphers/_polyval.js';

const BLOCK = 16;

export interface CounterStep {
  /** 1-based block number of the plaintext. */
  index: number;
  counterBlock: Uint8Array;
  keystream: Uint8Array;
  plaintext: Uint8Array;
  ciphertext: Uint8Array;
}

export interface GcmSteps {
  /** H = E(K, 0¹²⁸): the GHASH key. */
  hashKey: Uint8Array;
  /** J0 = IV ‖ 0³¹1 for a 96-bit IV. */
  preCounterBlock: Uint8Array;
  blocks: CounterStep[];
  /** What GHASH takes: the AAD and the ciphertext, each zero-padded to whole blocks, then their bit lengths. */
  ghashInput: { label: string; block: Uint8Array }[];
  /** S = GHASH_H(input). */
  ghash: Uint8Array;
  /** E(K, J0), XORed with S to make the tag. */
  tagMask: Uint8Array;
  tag: Uint8Array;
  ciphertext: Uint8Array;
}

const xor = (a: Uint8Array, b: Uint8Array) => a.map((byte, i) => byte ^ b[i]);

function counterBlock(iv: Uint8Array, counter: number): Uint8Array {
  const block = new Uint8Array(BLOCK);
  block.set(iv, 0);
  new DataView(block.buffer).setUint32(12, counter >>> 0); // inc32: the low 32 bits count, big-endian
  return block;
}

function lengthsBlock(aadBytes: number, ciphertextBytes: number): Uint8Array {
  const block = new Uint8Array(BLOCK);
  const view = new DataView(block.buffer);
  view.setBigUint64(0, BigInt(aadBytes) * 8n);
  view.setBigUint64(8, BigInt(ciphertextBytes) * 8n);
  return block;
}

function padded(label: string, bytes: Uint8Array): { label: string; block: Uint8Array }[] {
  const out: { label: string; block: Uint8Array }[] = [];
  for (let at = 0; at < bytes.length; at += BLOCK) {
    const block = new Uint8Array(BLOCK);
    block.set(bytes.subarray(at, at + BLOCK));
    out.push({ label: `${label} ${at / BLOCK + 1}`, block });
  }
  return out;
}

/** The steps of AES-GCM encryption with a 96-bit IV (the only IV length the ESDK uses). */
export function gcmSteps(key: Uint8Array, iv: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): GcmSteps {
  if (iv.length !== 12) throw new Error('the step view takes a 12-byte IV');
  // One AES block: ECB over exactly one block (noble's cipher objects are single-use).
  const encryptBlock = (input: Uint8Array) => ecb(key, { disablePadding: true }).encrypt(input);
  const hashKey = encryptBlock(new Uint8Array(BLOCK));
  const preCounterBlock = counterBlock(iv, 1);
  const blocks: CounterStep[] = [];
  const ciphertext = new Uint8Array(plaintext.length);
  for (let at = 0, index = 1; at < plaintext.length; at += BLOCK, index++) {
    const counter = counterBlock(iv, index + 1); // the first counter block after J0 is inc32(J0)
    const keystream = encryptBlock(counter);
    const piece = plaintext.subarray(at, at + BLOCK);
    const sealed = xor(piece, keystream); // a last partial block uses the keystream's first bytes
    ciphertext.set(sealed, at);
    blocks.push({ index, counterBlock: counter, keystream, plaintext: piece, ciphertext: sealed });
  }
  const ghashInput = [
    ...padded('AAD block', aad),
    ...padded('ciphertext block', ciphertext),
    { label: 'lengths (AAD bits, ciphertext bits)', block: lengthsBlock(aad.length, ciphertext.length) },
  ];
  const hash = ghash.create(hashKey);
  for (const { block: input } of ghashInput) hash.update(input);
  const s = hash.digest();
  const tagMask = encryptBlock(preCounterBlock);
  return {
    hashKey,
    preCounterBlock,
    blocks,
    ghashInput,
    ghash: s,
    tagMask,
    tag: xor(s, tagMask),
    ciphertext,
  };
}
