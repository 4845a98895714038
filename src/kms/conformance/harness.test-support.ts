/**
 * What both conformance runs share (against createKms directly, and through the HTTP endpoint with the real SDK):
 * where the corpus is, the documented departures, the run's environment, the client-side crypto on node:crypto, and
 * how results are judged. Test support only (node:crypto): imported by `*.test.ts` files, never by the lab.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import nodeCrypto from 'node:crypto';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { expect } from 'vitest';
import { DEFAULT_ACCOUNT, LAB_ADMIN } from '../kms';
import type { CaseResult, ConformanceCase, ConformanceCrypto, ConformanceEnvironment } from './types';

// `../shared` beside the project; KMS_CONFORMANCE_DIR points elsewhere (a worktree deeper in the tree).
export const corpusDir =
  process.env.KMS_CONFORMANCE_DIR ?? path.resolve(process.cwd(), '../shared/conformance/kms-api');
export const casesFile = path.join(corpusDir, 'cases.json');

/** Cases that fail because the lab departs from AWS on purpose, with the reason (docs/kms.md). */
/**
 * Cases that fail because the lab departs from AWS on purpose (docs/kms.md, "Departures from AWS"): why, and the
 * failure the departure gives. A departure that fails another way, or passes, fails the test.
 */
export const KNOWN_DEPARTURES: Record<string, { why: string; failure: RegExp }> = {
  'rotate-on-demand-limit-10': {
    why: 'the lab uses the current developer guide limit of 25 on-demand rotations; the recording (2025-04) had 10',
    failure: /^RotateKeyOnDemand: expected LimitExceededException, but the call succeeded$/,
  },
};

const EC_CURVES: Record<string, string> = {
  ECC_NIST_P256: 'prime256v1',
  ECC_NIST_P384: 'secp384r1',
  ECC_NIST_P521: 'secp521r1',
  ECC_SECG_P256K1: 'secp256k1',
};
const NOBLE: Record<string, typeof p256> = {
  prime256v1: p256,
  secp384r1: p384 as unknown as typeof p256,
  secp521r1: p521 as unknown as typeof p256,
  secp256k1: secp256k1 as unknown as typeof p256,
};
const DIGEST_INFO: Record<string, string> = {
  sha256: '3031300d060960864801650304020105000420',
  sha384: '3041300d060960864801650304020205000430',
  sha512: '3051300d060960864801650304020305000440',
};

/** The client side of the corpus's crypto directives, on node:crypto (tests only). */
export const nodeConformanceCrypto: ConformanceCrypto = {
  async privateKey(keySpec) {
    const pair = keySpec.startsWith('RSA_')
      ? nodeCrypto.generateKeyPairSync('rsa', {
          modulusLength: Number(keySpec.slice(4)),
          publicExponent: 65537,
        })
      : nodeCrypto.generateKeyPairSync('ec', { namedCurve: EC_CURVES[keySpec] });
    return {
      privateKey: new Uint8Array(pair.privateKey.export({ format: 'der', type: 'pkcs8' })),
      publicKey: new Uint8Array(pair.publicKey.export({ format: 'der', type: 'spki' })),
    };
  },
  async wrap(publicKey, algorithm, material) {
    const key = nodeCrypto.createPublicKey({ key: Buffer.from(publicKey), format: 'der', type: 'spki' });
    const oaep = (hash: string, data: Uint8Array) =>
      nodeCrypto.publicEncrypt(
        { key, padding: nodeCrypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hash },
        data,
      );
    if (algorithm === 'RSAES_OAEP_SHA_1') return new Uint8Array(oaep('sha1', material));
    if (algorithm === 'RSAES_OAEP_SHA_256') return new Uint8Array(oaep('sha256', material));
    // RSA_AES_KEY_WRAP_SHA_256: RSA-OAEP-SHA-256(K) ‖ AES-KWP_K(material) (RFC 5649).
    const aesKey = nodeCrypto.randomBytes(32);
    const kwp = nodeCrypto.createCipheriv('id-aes256-wrap-pad', aesKey, Buffer.from('A65959A6', 'hex'));
    return new Uint8Array(Buffer.concat([oaep('sha256', aesKey), kwp.update(material), kwp.final()]));
  },
  async verify({ publicKey, signingAlgorithm, messageType, message, signature, pssSaltLength }) {
    const key = nodeCrypto.createPublicKey({ key: Buffer.from(publicKey), format: 'der', type: 'spki' });
    const hash = `sha${signingAlgorithm.slice(-3)}`;
    const pss = signingAlgorithm.includes('_PSS_');
    if (messageType === 'RAW')
      return nodeCrypto.verify(
        hash,
        message,
        pss
          ? { key, padding: nodeCrypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: pssSaltLength ?? -1 }
          : { key, dsaEncoding: 'der' },
        signature,
      );
    if (signingAlgorithm.startsWith('ECDSA')) {
      const curve = NOBLE[key.asymmetricKeyDetails!.namedCurve!];
      const point = new Uint8Array(
        publicKey.slice(publicKey.length - curve.getPublicKey(curve.utils.randomSecretKey(), false).length),
      );
      // KMS does not normalise ECDSA signatures to low S; noble's secp256k1 insists on it unless told otherwise.
      return curve.verify(signature, message, point, { prehash: false, format: 'der', lowS: false });
    }
    // DIGEST with RSA: open the signature and check its encoding against the given digest (RFC 8017 §9).
    const em = nodeCrypto.publicDecrypt({ key, padding: nodeCrypto.constants.RSA_NO_PADDING }, signature);
    if (!pss) {
      const t = Buffer.concat([Buffer.from(DIGEST_INFO[hash], 'hex'), message]);
      return em.subarray(em.length - t.length).equals(t) && em[0] === 0 && em[1] === 1;
    }
    const hLen = message.length;
    const h = em.subarray(em.length - hLen - 1, em.length - 1);
    const db = Buffer.from(em.subarray(0, em.length - hLen - 1));
    const mask = Buffer.alloc(db.length);
    for (let c = 0, o = 0; o < db.length; c++, o += hLen)
      nodeCrypto
        .createHash(hash)
        .update(h)
        .update(Buffer.from([c >>> 24, c >>> 16, c >>> 8, c]))
        .digest()
        .copy(mask, o);
    for (let i = 0; i < db.length; i++) db[i] ^= mask[i];
    db[0] &= 0x7f;
    const saltLength = pssSaltLength ?? hLen;
    const salt = db.subarray(db.length - saltLength);
    const expected = nodeCrypto
      .createHash(hash)
      .update(Buffer.alloc(8))
      .update(message)
      .update(salt)
      .digest();
    return em[em.length - 1] === 0xbc && db[db.length - saltLength - 1] === 1 && expected.equals(h);
  },
  random: (n) => new Uint8Array(nodeCrypto.randomBytes(n)),
};

export const conformanceEnv: ConformanceEnvironment = {
  partition: 'aws',
  region: 'us-east-1',
  region2: 'us-west-2',
  account: DEFAULT_ACCOUNT,
  callerArn: LAB_ADMIN,
};

/** The corpus's cases, or undefined (after a one-line notice) when the corpus is absent. */
export function loadCases(run: string): ConformanceCase[] | undefined {
  if (!existsSync(casesFile)) {
    console.log(`KMS conformance (${run}): ${corpusDir} is absent; skipped.`);
    return undefined;
  }
  return JSON.parse(readFileSync(casesFile, 'utf8')) as ConformanceCase[];
}

/**
 * Prints the count and every case that did not pass; a documented departure is expected to fail (and is reported
 * as such), anything else fails the test, and so does a departure that starts passing (take it off the list and
 * out of docs/kms.md).
 */
export function judge(run: string, results: CaseResult[]): void {
  const failing = results.filter((r) => !r.passed);
  const asDocumented = (f: CaseResult) => KNOWN_DEPARTURES[f.id]?.failure.test(f.reason ?? '') ?? false;
  const departures = failing.filter(asDocumented);
  const unexpected = failing.filter((f) => !asDocumented(f));
  console.log(
    `KMS conformance (${run}): ${results.length - failing.length}/${results.length} cases pass, ${departures.length} documented departure(s), ${unexpected.length} unexpected failure(s)`,
  );
  for (const f of departures)
    console.log(`  departure ${f.id} step ${f.failedStep}: ${f.reason}  [${KNOWN_DEPARTURES[f.id].why}]`);
  for (const f of unexpected) console.log(`  FAIL ${f.id} step ${f.failedStep}: ${f.reason}`);
  expect(unexpected.map((f) => `${f.id}: ${f.reason}`)).toEqual([]);
  expect(results.filter((r) => r.passed && KNOWN_DEPARTURES[r.id]).map((r) => r.id)).toEqual([]);
}
