/**
 * HSM speed (issue 9 "Performance"): Encrypt and Decrypt of 4 KB, GenerateDataKey (32 random bytes + Encrypt),
 * Sign and Verify per key spec (RAW), and one DIGEST row per RSA size (the BigInt path). One call at a time, as
 * the core awaits each; figures are printed, nothing is asserted.
 * Run: node --import tsx scripts/bench/50-kms-crypto.ts
 */
import { createHsm } from '../../src/kms/crypto/hsm';
import { own } from '../../src/kms/crypto/bytes';
import { hash } from '../../src/kms/crypto/hashes';
import {
  ALGORITHM_HASH,
  type KeySpec,
  type MessageType,
  type SigningAlgorithm,
} from '../../src/kms/crypto/specs';
import { perSecond, printRate } from './lib/rate';

const MIN_SECONDS = 0.6;

const opsPerSecond = (run: () => Promise<unknown>) => perSecond(run, { seconds: MIN_SECONDS, warmUp: 3 });
const row = (label: string, value: number, note = '') => printRate(label, value, 'ops/s', note);

const hsm = createHsm();
const context = { tenant: 'acme', purpose: 'bench' };
const aes = await hsm.generate('SYMMETRIC_DEFAULT');
const plaintext = hsm.random(4096);
const blob = await hsm.encrypt(aes, plaintext, context);

console.log('SYMMETRIC_DEFAULT (AES-256-GCM, WebCrypto, encryption context bound)');
const encrypt = await opsPerSecond(() => hsm.encrypt(aes, plaintext, context));
const decrypt = await opsPerSecond(() => hsm.decrypt(aes, blob, context));
row('Encrypt 4 KB', encrypt, `(${((encrypt * 4096) / 1e6).toFixed(1)} MB/s)`);
row('Decrypt 4 KB', decrypt, `(${((decrypt * 4096) / 1e6).toFixed(1)} MB/s)`);
// The bare primitive, so the HSM's own cost (context encoding, blob framing) shows as a ratio.
const rawKey = await crypto.subtle.importKey('raw', own(hsm.random(32)), 'AES-GCM', false, ['encrypt']);
const bare = await opsPerSecond(() =>
  crypto.subtle.encrypt({ name: 'AES-GCM', iv: own(hsm.random(12)) }, rawKey, own(plaintext)),
);
row(
  'bare WebCrypto AES-GCM encrypt 4 KB',
  bare,
  `(HSM Encrypt = ${((encrypt / bare) * 100).toFixed(0)} % of it)`,
);
row('GenerateDataKey (AES_256)', await opsPerSecond(() => hsm.encrypt(aes, hsm.random(32), context)));

const signing: Array<[KeySpec, SigningAlgorithm, MessageType]> = [
  ['RSA_2048', 'RSASSA_PSS_SHA_256', 'RAW'],
  ['RSA_2048', 'RSASSA_PKCS1_V1_5_SHA_256', 'RAW'],
  ['RSA_2048', 'RSASSA_PSS_SHA_256', 'DIGEST'],
  ['RSA_3072', 'RSASSA_PSS_SHA_384', 'RAW'],
  ['RSA_3072', 'RSASSA_PSS_SHA_384', 'DIGEST'],
  ['RSA_4096', 'RSASSA_PSS_SHA_512', 'RAW'],
  ['RSA_4096', 'RSASSA_PSS_SHA_512', 'DIGEST'],
  ['ECC_NIST_P256', 'ECDSA_SHA_256', 'RAW'],
  ['ECC_NIST_P256', 'ECDSA_SHA_256', 'DIGEST'],
  ['ECC_NIST_P384', 'ECDSA_SHA_384', 'RAW'],
  ['ECC_NIST_P521', 'ECDSA_SHA_512', 'RAW'],
  ['ECC_SECG_P256K1', 'ECDSA_SHA_256', 'RAW'],
];
console.log(
  '\nSign / Verify of a 1 KB message (RAW: WebCrypto, or noble for secp256k1; DIGEST: BigInt RSA or noble)',
);
const keys = new Map<KeySpec, string>();
for (const [spec, algorithm, messageType] of signing) {
  if (!keys.has(spec)) keys.set(spec, await hsm.generate(spec));
  const id = keys.get(spec)!;
  const message =
    messageType === 'RAW' ? hsm.random(1024) : hash(ALGORITHM_HASH[algorithm], hsm.random(1024));
  const signature = await hsm.sign(id, algorithm, message, messageType);
  const label = `${spec} ${algorithm} ${messageType}`;
  row(`Sign   ${label}`, await opsPerSecond(() => hsm.sign(id, algorithm, message, messageType)));
  row(
    `Verify ${label}`,
    await opsPerSecond(() => hsm.verify(id, algorithm, message, messageType, signature)),
  );
}

const mac = await hsm.generate('HMAC_256');
const mac224 = await hsm.generate('HMAC_224');
const message = hsm.random(1024);
console.log('\nHMAC of a 1 KB message');
row(
  'GenerateMac HMAC_256 (WebCrypto)',
  await opsPerSecond(() => hsm.generateMac(mac, 'HMAC_SHA_256', message)),
);
row(
  'GenerateMac HMAC_224 (@noble/hashes)',
  await opsPerSecond(() => hsm.generateMac(mac224, 'HMAC_SHA_224', message)),
);
