/**
 * The HSM end to end: every key spec and algorithm round-trips, and everything that leaves the HSM (signatures,
 * public keys, data key pairs, OAEP ciphertexts, import wrapping keys) is checked with node:crypto, an
 * independent implementation (tests only; the HSM itself uses WebCrypto and noble).
 */
import {
  constants,
  createCipheriv,
  createHmac,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  publicEncrypt,
  randomBytes as nodeRandomBytes,
  sign as nodeSign,
  verify as nodeVerify,
  type KeyObject,
} from 'node:crypto';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { isKmsError } from '../errors';
import { MIN_BLOB_BYTES } from './blob';
import { concat, utf8 } from './bytes';
import { ecdsaDerToRaw } from './der';
import { hash } from './hashes';
import type { Hsm } from '../hsm';
import { createHsm } from './hsm';
import {
  ALGORITHM_HASH,
  DATA_KEY_PAIR_SPECS,
  HASH_BYTES,
  maxOaepPlaintextBytes,
  signingAlgorithmsOf,
  type KeySpec,
  type RsaKeySpec,
  type SigningAlgorithm,
} from './specs';

const SLOW = 60_000;
const spki = (der: Uint8Array): KeyObject =>
  createPublicKey({ key: Buffer.from(der), format: 'der', type: 'spki' });
const nodeHash = (algorithm: SigningAlgorithm) => ALGORITHM_HASH[algorithm].replace('-', '').toLowerCase();

async function rejection(promise: Promise<unknown>): Promise<{ type: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (isKmsError(error)) return { type: error.type, message: error.message };
    throw error;
  }
  throw new Error('expected a KmsError');
}

/** Verifies an HSM signature with node:crypto: PKCS#1 bytes for RSA (PSS salt = hash length), DER for ECDSA. */
function nodeVerifies(
  publicKey: KeyObject,
  algorithm: SigningAlgorithm,
  message: Uint8Array,
  signature: Uint8Array,
) {
  const key = algorithm.startsWith('RSASSA_PSS_')
    ? {
        key: publicKey,
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength: HASH_BYTES[ALGORITHM_HASH[algorithm]],
      }
    : publicKey;
  return nodeVerify(nodeHash(algorithm), message, key, signature);
}

describe('symmetric encryption (SYMMETRIC_DEFAULT)', () => {
  let hsm: Hsm;
  let id: string;
  beforeAll(async () => {
    hsm = createHsm();
    id = await hsm.generate('SYMMETRIC_DEFAULT');
  });

  it('gives a 64-hex KeyMaterialId and a blob that names it', async () => {
    expect(id).toMatch(/^[a-f0-9]{64}$/);
    const blob = await hsm.encrypt(id, utf8('secret'), { purpose: 'test' });
    expect(hsm.materialIdOf(blob)).toBe(id);
    expect(new TextDecoder().decode(await hsm.decrypt(id, blob, { purpose: 'test' }))).toBe('secret');
  });

  it('round-trips 1 and 4096 bytes, and two encryptions of one plaintext differ', async () => {
    for (const length of [1, 4096]) {
      const plaintext = nodeRandomBytes(length);
      const blob = await hsm.encrypt(id, plaintext);
      expect(Buffer.from(await hsm.decrypt(id, blob))).toEqual(plaintext);
    }
    const a = await hsm.encrypt(id, utf8('same'));
    const b = await hsm.encrypt(id, utf8('same'));
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
  });

  it('keeps the key non-extractable: WebCrypto refuses to export it', async () => {
    const key = hsm.cryptoKeyOf(id)!;
    expect(key.extractable).toBe(false);
    expect(key.algorithm).toMatchObject({ name: 'AES-GCM', length: 256 });
    await expect(crypto.subtle.exportKey('raw', key)).rejects.toThrow();
    await expect(crypto.subtle.exportKey('jwk', key)).rejects.toThrow();
  });

  it('opens only with the exact, case-sensitive context; order does not matter', async () => {
    const blob = await hsm.encrypt(id, utf8('x'), { a: 'bc', Tenant: 'acme' });
    await expect(hsm.decrypt(id, blob, { Tenant: 'acme', a: 'bc' })).resolves.toBeInstanceOf(Uint8Array);
    const wrongContexts: (Record<string, string> | undefined)[] = [
      { ab: 'c', Tenant: 'acme' },
      { a: 'bc', tenant: 'acme' },
      { a: 'bc' },
      undefined,
    ];
    for (const wrong of wrongContexts) {
      expect(await rejection(hsm.decrypt(id, blob, wrong))).toEqual({
        type: 'InvalidCiphertextException',
        message: '',
      });
    }
    const adjacent = await hsm.encrypt(id, utf8('x'), { a: 'bc' });
    expect((await rejection(hsm.decrypt(id, adjacent, { ab: 'c' }))).type).toBe('InvalidCiphertextException');
  });

  it('property: a blob made under one context never opens under a different one', async () => {
    const contexts = fc.dictionary(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 }), { maxKeys: 4 });
    await fc.assert(
      fc.asyncProperty(contexts, contexts, async (made, tried) => {
        const same =
          JSON.stringify(Object.entries(made).sort()) === JSON.stringify(Object.entries(tried).sort());
        const blob = await hsm.encrypt(id, utf8('p'), made);
        const opened = await hsm.decrypt(id, blob, tried).then(
          () => true,
          (error: unknown) =>
            isKmsError(error) && error.type === 'InvalidCiphertextException' ? false : Promise.reject(error),
        );
        expect(opened).toBe(same);
      }),
      { numRuns: 150 },
    );
  });

  it('property: moving characters between a key and its value (or the next pair) never opens the blob', async () => {
    // The shapes a length-free concatenation confuses: {"a":"bc"} vs {"ab":"c"}, {"a":"b","c":"d"} vs {"a":"bcd"}.
    const text = fc.string({ minLength: 1, maxLength: 5 });
    await fc.assert(
      fc.asyncProperty(text, text, fc.nat(), fc.boolean(), async (key, value, cut, merge) => {
        const split = 1 + (cut % value.length);
        const made = merge
          ? { [key]: value.slice(0, split), [`~${key}`]: value.slice(split) }
          : { [key]: value };
        const tried = merge
          ? { [key]: value + `~${key}` }
          : { [key + value.slice(0, split)]: value.slice(split) };
        const blob = await hsm.encrypt(id, utf8('p'), made);
        expect((await rejection(hsm.decrypt(id, blob, tried))).type).toBe('InvalidCiphertextException');
      }),
      { numRuns: 150 },
    );
  });

  it('refuses every changed byte, truncation and appended bytes', async () => {
    const blob = await hsm.encrypt(id, utf8('sixteen bytes!!!'), { k: 'v' });
    for (let i = 33; i < blob.length; i++) {
      const altered = blob.slice();
      altered[i] ^= 0x01;
      expect((await rejection(hsm.decrypt(id, altered, { k: 'v' }))).type).toBe('InvalidCiphertextException');
    }
    for (const candidate of [
      blob.subarray(0, blob.length - 1),
      blob.subarray(0, MIN_BLOB_BYTES - 1),
      concat(blob, Uint8Array.of(0)),
    ]) {
      expect((await rejection(hsm.decrypt(id, candidate, { k: 'v' }))).type).toBe(
        'InvalidCiphertextException',
      );
    }
  });

  it('a changed material id or version in the header is refused', async () => {
    const other = await hsm.generate('SYMMETRIC_DEFAULT');
    const blob = await hsm.encrypt(id, utf8('x'));
    const renamed = concat(Uint8Array.of(1), Buffer.from(other, 'hex'), blob.subarray(33));
    expect(hsm.materialIdOf(renamed)).toBe(other);
    expect((await rejection(hsm.decrypt(other, renamed))).type).toBe('InvalidCiphertextException');
    expect((await rejection(hsm.decrypt(other, blob))).type).toBe('InvalidCiphertextException');
    const versioned = blob.slice();
    versioned[0] = 2;
    expect(hsm.materialIdOf(versioned)).toBeUndefined();
    expect(hsm.materialIdOf(blob.subarray(0, MIN_BLOB_BYTES - 1))).toBeUndefined();
  });

  it('follows the documented layout: a blob made by node:crypto with it opens', async () => {
    // Independent construction: version ‖ id ‖ IV ‖ AES-256-GCM(plaintext, AAD = version ‖ id ‖ context) ‖ tag.
    const raw = nodeRandomBytes(32);
    const imported = await hsm.importMaterial({ keySpec: 'SYMMETRIC_DEFAULT', keyId: 'layout' }, raw);
    const header = Buffer.concat([Buffer.of(1), Buffer.from(imported, 'hex')]);
    const context = Buffer.concat([u32be(1), u32be(1), Buffer.from('k'), u32be(2), Buffer.from('vv')]);
    const iv = nodeRandomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', raw, iv).setAAD(Buffer.concat([header, context]));
    const body = Buffer.concat([cipher.update('layout'), cipher.final(), cipher.getAuthTag()]);
    const opened = await hsm.decrypt(imported, Buffer.concat([header, iv, body]), { k: 'vv' });
    expect(Buffer.from(opened).toString()).toBe('layout');
  });
});

const u32be = (value: number) => {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value);
  return out;
};

describe('asymmetric signing, every spec and algorithm', () => {
  const hsm = createHsm();
  const specs: KeySpec[] = [
    'RSA_2048',
    'RSA_3072',
    'RSA_4096',
    'ECC_NIST_P256',
    'ECC_NIST_P384',
    'ECC_NIST_P521',
    'ECC_SECG_P256K1',
  ];
  const ids = new Map<KeySpec, string>();
  beforeAll(async () => {
    for (const spec of specs) ids.set(spec, await hsm.generate(spec));
  }, SLOW);

  const cases = specs.flatMap((spec) =>
    signingAlgorithmsOf(spec).map((algorithm) => [spec, algorithm] as const),
  );
  it.each(cases)(
    '%s %s: RAW and DIGEST signatures verify in the HSM and in node:crypto',
    async (spec, algorithm) => {
      const id = ids.get(spec)!;
      const publicKey = spki(await hsm.publicKey(id));
      const message = utf8(`message for ${spec} ${algorithm}`);
      const raw = await hsm.sign(id, algorithm, message, 'RAW');
      const digestSigned = await hsm.sign(id, algorithm, hash(ALGORITHM_HASH[algorithm], message), 'DIGEST');
      for (const signature of [raw, digestSigned]) {
        expect(nodeVerifies(publicKey, algorithm, message, signature)).toBe(true);
        expect(await hsm.verify(id, algorithm, message, 'RAW', signature)).toBe(true);
        expect(
          await hsm.verify(id, algorithm, hash(ALGORITHM_HASH[algorithm], message), 'DIGEST', signature),
        ).toBe(true);
      }
      expect(nodeVerifies(publicKey, algorithm, utf8('another message'), raw)).toBe(false);
      expect(await hsm.verify(id, algorithm, utf8('another message'), 'RAW', raw)).toBe(false);
    },
    SLOW,
  );

  it(
    'checks signatures made by node:crypto (PSS with a hash-length salt; ECDSA DER)',
    async () => {
      for (const [spec, algorithm] of [
        ['ECC_NIST_P384', 'ECDSA_SHA_384'],
        ['RSA_2048', 'RSASSA_PSS_SHA_512'],
      ] as const) {
        const keys =
          spec === 'RSA_2048'
            ? generateKeyPairSync('rsa', { modulusLength: 2048 })
            : generateKeyPairSync('ec', { namedCurve: 'P-384' });
        const id = await hsm.importMaterial(
          { keySpec: spec, keyId: 'n' },
          keys.privateKey.export({ format: 'der', type: 'pkcs8' }),
        );
        const message = utf8('signed by node');
        const signature = nodeSign(
          nodeHash(algorithm),
          message,
          spec === 'RSA_2048'
            ? { key: keys.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 64 }
            : keys.privateKey,
        );
        expect(await hsm.verify(id, algorithm, message, 'RAW', signature)).toBe(true);
        expect(
          await hsm.verify(id, algorithm, hash(ALGORITHM_HASH[algorithm], message), 'DIGEST', signature),
        ).toBe(true);
      }
    },
    SLOW,
  );

  it('ECDSA signatures are DER and secp256k1 ones verify with @noble/curves (high S kept, as KMS does)', async () => {
    const id = ids.get('ECC_SECG_P256K1')!;
    const publicPoint = new Uint8Array(
      spki(await hsm.publicKey(id)).export({ format: 'der', type: 'spki' }),
    ).subarray(-65);
    let highS = false;
    for (let i = 0; i < 24; i++) {
      const message = utf8(`k1 ${i}`);
      const der = await hsm.sign(id, 'ECDSA_SHA_256', message, 'RAW');
      expect(der[0]).toBe(0x30);
      const raw = ecdsaDerToRaw(der, 32);
      expect(
        secp256k1.verify(raw, hash('SHA-256', message), publicPoint, { prehash: false, lowS: false }),
      ).toBe(true);
      highS ||= !secp256k1.verify(raw, hash('SHA-256', message), publicPoint, { prehash: false, lowS: true });
    }
    expect(highS).toBe(true);
  });

  it('refuses a wrong-length DIGEST, a foreign algorithm and malformed signatures with AWS errors', async () => {
    const id = ids.get('ECC_NIST_P256')!;
    expect(await rejection(hsm.sign(id, 'ECDSA_SHA_256', utf8('not a digest'), 'DIGEST'))).toEqual({
      type: 'ValidationException',
      message: 'Digest is invalid length for algorithm ECDSA_SHA_256.',
    });
    expect(await rejection(hsm.sign(id, 'ECDSA_SHA_384', utf8('m'), 'RAW'))).toEqual({
      type: 'InvalidKeyUsageException',
      message: 'Algorithm ECDSA_SHA_384 is incompatible with key spec ECC_NIST_P256.',
    });
    const good = await hsm.sign(id, 'ECDSA_SHA_256', utf8('m'), 'RAW');
    for (const bad of [
      new Uint8Array(0),
      nodeRandomBytes(70),
      concat(good, Uint8Array.of(0)),
      good.subarray(1),
    ]) {
      expect(await hsm.verify(id, 'ECDSA_SHA_256', utf8('m'), 'RAW', bad)).toBe(false);
    }
    const rsa = ids.get('RSA_2048')!;
    const rsaSignature = await hsm.sign(rsa, 'RSASSA_PKCS1_V1_5_SHA_256', utf8('m'), 'RAW');
    expect(await hsm.verify(rsa, 'RSASSA_PSS_SHA_256', utf8('m'), 'RAW', rsaSignature)).toBe(false);
    expect(
      await hsm.verify(rsa, 'RSASSA_PKCS1_V1_5_SHA_256', hash('SHA-256', utf8('n')), 'DIGEST', rsaSignature),
    ).toBe(false);
  });
});

describe('RSA encryption (RSAES_OAEP_SHA_1/256)', () => {
  const hsm = createHsm();
  const ids = new Map<RsaKeySpec, string>();
  beforeAll(async () => {
    for (const spec of ['RSA_2048', 'RSA_3072', 'RSA_4096'] as const) ids.set(spec, await hsm.generate(spec));
  }, SLOW);

  const cases = (['RSA_2048', 'RSA_3072', 'RSA_4096'] as const).flatMap((spec) =>
    (['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'] as const).map((algorithm) => [spec, algorithm] as const),
  );
  it.each(cases)(
    '%s %s: the limit fits, one byte more is refused, node:crypto ciphertexts open',
    async (spec, algorithm) => {
      const id = ids.get(spec)!;
      const limit = maxOaepPlaintextBytes(spec, algorithm);
      const plaintext = nodeRandomBytes(limit);
      const ciphertext = await hsm.encryptAsymmetric(id, algorithm, plaintext);
      expect(Buffer.from(await hsm.decryptAsymmetric(id, algorithm, ciphertext))).toEqual(plaintext);
      expect(await rejection(hsm.encryptAsymmetric(id, algorithm, nodeRandomBytes(limit + 1)))).toEqual({
        type: 'ValidationException',
        message: `Algorithm ${algorithm} and key spec ${spec} cannot encrypt data larger than ${limit} bytes.`,
      });
      const oaepHash = algorithm === 'RSAES_OAEP_SHA_1' ? 'sha1' : 'sha256';
      const offline = publicEncrypt(
        { key: spki(await hsm.publicKey(id)), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash },
        utf8('encrypted outside KMS'),
      );
      expect(Buffer.from(await hsm.decryptAsymmetric(id, algorithm, offline)).toString()).toBe(
        'encrypted outside KMS',
      );
      const other = algorithm === 'RSAES_OAEP_SHA_1' ? 'RSAES_OAEP_SHA_256' : 'RSAES_OAEP_SHA_1';
      expect((await rejection(hsm.decryptAsymmetric(id, other, offline))).type).toBe(
        'InvalidCiphertextException',
      );
    },
    SLOW,
  );

  it('matches AWS’s table of maximum plaintext sizes', () => {
    expect(
      (['RSA_2048', 'RSA_3072', 'RSA_4096'] as const).map((spec) => [
        maxOaepPlaintextBytes(spec, 'RSAES_OAEP_SHA_1'),
        maxOaepPlaintextBytes(spec, 'RSAES_OAEP_SHA_256'),
      ]),
    ).toEqual([
      [214, 190],
      [342, 318],
      [470, 446],
    ]);
  });
});

describe('HMAC keys', () => {
  const specs = [
    ['HMAC_224', 'HMAC_SHA_224', 'sha224', 28],
    ['HMAC_256', 'HMAC_SHA_256', 'sha256', 32],
    ['HMAC_384', 'HMAC_SHA_384', 'sha384', 48],
    ['HMAC_512', 'HMAC_SHA_512', 'sha512', 64],
  ] as const;
  it.each(specs)(
    '%s: generated keys verify their MACs; imported ones match node:crypto',
    async (keySpec, algorithm, nodeName, bytes) => {
      const hsm = createHsm();
      const id = await hsm.generate(keySpec);
      const mac = await hsm.generateMac(id, algorithm, utf8('m'));
      expect(mac.length).toBe(bytes);
      expect(await hsm.verifyMac(id, algorithm, utf8('m'), mac)).toBe(true);
      expect(await hsm.verifyMac(id, algorithm, utf8('n'), mac)).toBe(false);
      const raw = nodeRandomBytes(bytes);
      const imported = await hsm.importMaterial({ keySpec, keyId: 'h' }, raw);
      const message = nodeRandomBytes(100);
      expect(Buffer.from(await hsm.generateMac(imported, algorithm, message))).toEqual(
        createHmac(nodeName, raw).update(message).digest(),
      );
    },
  );

  it('refuses another MAC algorithm with AWS’s message, and keys of the wrong length', async () => {
    const hsm = createHsm();
    const id = await hsm.generate('HMAC_224');
    expect(await rejection(hsm.generateMac(id, 'HMAC_SHA_256', utf8('m')))).toEqual({
      type: 'InvalidKeyUsageException',
      message: 'Algorithm HMAC_SHA_256 is incompatible with key spec HMAC_224.',
    });
    expect(
      (await rejection(hsm.importMaterial({ keySpec: 'HMAC_256', keyId: 'h' }, new Uint8Array(31)))).type,
    ).toBe('IncorrectKeyMaterialException');
  });
});

describe('GenerateDataKeyPair', () => {
  it.each(DATA_KEY_PAIR_SPECS)(
    '%s: PKCS#8 private and SPKI public keys that node:crypto reads and pairs',
    async (spec) => {
      const pair = await createHsm().generateDataKeyPair(spec);
      const privateKey = createPrivateKey({
        key: Buffer.from(pair.privateKey),
        format: 'der',
        type: 'pkcs8',
      });
      const publicKey = spki(pair.publicKey);
      expect(createPublicKey(privateKey).export({ format: 'der', type: 'spki' })).toEqual(
        Buffer.from(pair.publicKey),
      );
      const signature = nodeSign('sha256', utf8('pair'), privateKey);
      expect(nodeVerify('sha256', utf8('pair'), publicKey, signature)).toBe(true);
      if (spec === 'ECC_SECG_P256K1') expect(publicKey.asymmetricKeyDetails?.namedCurve).toBe('secp256k1');
      if (spec.startsWith('RSA_'))
        expect(publicKey.asymmetricKeyDetails?.modulusLength).toBe(Number(spec.slice(4)));
    },
    SLOW,
  );
});

describe('imported key material', () => {
  let hsm: Hsm;
  let wrapping: { wrappingId: string; publicKey: Uint8Array };
  beforeAll(async () => {
    hsm = createHsm();
    wrapping = await hsm.createWrappingKey('RSA_3072');
  }, SLOW);

  const oaep = (data: Uint8Array, oaepHash: 'sha1' | 'sha256') =>
    publicEncrypt(
      { key: spki(wrapping.publicKey), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash },
      data,
    );
  const rsaAes = (data: Uint8Array, oaepHash: 'sha1' | 'sha256') => {
    const aesKey = nodeRandomBytes(32);
    const kwp = createCipheriv('id-aes256-wrap-pad', aesKey, Buffer.from('a65959a6', 'hex'));
    return Buffer.concat([oaep(aesKey, oaepHash), kwp.update(data), kwp.final()]);
  };

  it('unwraps with all four algorithms; the same material gives the same id, another key another id', async () => {
    const material = nodeRandomBytes(32);
    const target = { keySpec: 'SYMMETRIC_DEFAULT' as const, keyId: '1234abcd-12ab-34cd-56ef-1234567890ab' };
    const ids = [
      await hsm.unwrapImport(wrapping.wrappingId, 'RSAES_OAEP_SHA_1', oaep(material, 'sha1'), target),
      await hsm.unwrapImport(wrapping.wrappingId, 'RSAES_OAEP_SHA_256', oaep(material, 'sha256'), target),
      await hsm.unwrapImport(wrapping.wrappingId, 'RSA_AES_KEY_WRAP_SHA_1', rsaAes(material, 'sha1'), target),
      await hsm.unwrapImport(
        wrapping.wrappingId,
        'RSA_AES_KEY_WRAP_SHA_256',
        rsaAes(material, 'sha256'),
        target,
      ),
    ];
    expect(new Set(ids).size).toBe(1);
    expect(ids[0]).toMatch(/^[a-f0-9]{64}$/);
    const otherKey = await hsm.importMaterial({ ...target, keyId: 'another-key' }, material);
    const otherMaterial = await hsm.importMaterial(target, nodeRandomBytes(32));
    expect(new Set([ids[0], otherKey, otherMaterial]).size).toBe(3);
    const blob = await hsm.encrypt(ids[0], utf8('imported'));
    const raw = createCipheriv('aes-256-gcm', material, blob.subarray(33, 45)); // the key really is the material
    raw.setAAD(Buffer.concat([blob.subarray(0, 33), u32be(0)]));
    expect(Buffer.concat([raw.update('imported'), raw.final(), raw.getAuthTag()])).toEqual(
      Buffer.from(blob.subarray(45)),
    );
  });

  it(
    'imports RSA private keys with RSA_AES_KEY_WRAP and EC keys with OAEP; they sign as the original keys',
    async () => {
      const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const rsaId = await hsm.unwrapImport(
        wrapping.wrappingId,
        'RSA_AES_KEY_WRAP_SHA_256',
        rsaAes(rsa.privateKey.export({ format: 'der', type: 'pkcs8' }), 'sha256'),
        { keySpec: 'RSA_2048', keyId: 'r' },
      );
      const message = utf8('imported RSA');
      expect(
        nodeVerifies(
          rsa.publicKey,
          'RSASSA_PSS_SHA_256',
          message,
          await hsm.sign(rsaId, 'RSASSA_PSS_SHA_256', message, 'RAW'),
        ),
      ).toBe(true);
      for (const [namedCurve, keySpec] of [
        ['secp256k1', 'ECC_SECG_P256K1'],
        ['P-521', 'ECC_NIST_P521'],
      ] as const) {
        const ec = generateKeyPairSync('ec', { namedCurve });
        const ecId = await hsm.unwrapImport(
          wrapping.wrappingId,
          'RSAES_OAEP_SHA_256',
          oaep(ec.privateKey.export({ format: 'der', type: 'pkcs8' }), 'sha256'),
          { keySpec, keyId: 'e' },
        );
        const algorithm = signingAlgorithmsOf(keySpec)[0];
        expect(Buffer.from(await hsm.publicKey(ecId))).toEqual(
          ec.publicKey.export({ format: 'der', type: 'spki' }),
        );
        expect(
          nodeVerifies(ec.publicKey, algorithm, message, await hsm.sign(ecId, algorithm, message, 'RAW')),
        ).toBe(true);
      }
    },
    SLOW,
  );

  it('refuses undecryptable material, RSA keys under RSAES_OAEP, wrong curves and wrong lengths', async () => {
    const target = { keySpec: 'SYMMETRIC_DEFAULT' as const, keyId: 'k' };
    const wrapped = oaep(nodeRandomBytes(32), 'sha256');
    expect(
      (await rejection(hsm.unwrapImport(wrapping.wrappingId, 'RSAES_OAEP_SHA_1', wrapped, target))).type,
    ).toBe('InvalidCiphertextException');
    const kwp = rsaAes(nodeRandomBytes(32), 'sha1');
    kwp[kwp.length - 1] ^= 1;
    expect(
      (await rejection(hsm.unwrapImport(wrapping.wrappingId, 'RSA_AES_KEY_WRAP_SHA_1', kwp, target))).type,
    ).toBe('InvalidCiphertextException');
    expect(
      (
        await rejection(
          hsm.unwrapImport(wrapping.wrappingId, 'RSAES_OAEP_SHA_256', wrapped, {
            keySpec: 'RSA_2048',
            keyId: 'k',
          }),
        )
      ).type,
    ).toBe('ValidationException');
    const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({
      format: 'der',
      type: 'pkcs8',
    });
    for (const [keySpec, material] of [
      ['ECC_NIST_P384', p256],
      ['ECC_SECG_P256K1', p256],
      ['RSA_2048', p256],
      ['SYMMETRIC_DEFAULT', nodeRandomBytes(16)],
    ] as const) {
      expect((await rejection(hsm.importMaterial({ keySpec, keyId: 'k' }, material))).type).toBe(
        'IncorrectKeyMaterialException',
      );
    }
    expect(
      (await rejection(hsm.unwrapImport('no-such-wrapping-key', 'RSAES_OAEP_SHA_1', wrapped, target))).type,
    ).toBe('InvalidImportTokenException');
  });
});

describe('snapshot and restore', () => {
  it(
    'brings every material and wrapping key back under the same domain key, and only under it',
    async () => {
      const domainKey = nodeRandomBytes(32);
      const before = createHsm({ domainKey });
      const aes = await before.generate('SYMMETRIC_DEFAULT');
      const ec = await before.generate('ECC_NIST_P256');
      const mac = await before.generate('HMAC_224');
      const wrapping = await before.createWrappingKey('RSA_2048');
      const blob = await before.encrypt(aes, utf8('kept'), { c: 'd' });
      const tag = await before.generateMac(mac, 'HMAC_SHA_224', utf8('m'));
      const snapshot = await before.snapshot();
      expect(JSON.stringify(snapshot)).not.toContain(aes);

      const after = createHsm({ domainKey });
      await after.restore(JSON.parse(JSON.stringify(snapshot)));
      expect(Buffer.from(await after.decrypt(aes, blob, { c: 'd' })).toString()).toBe('kept');
      expect(after.cryptoKeyOf(aes)?.extractable).toBe(false);
      expect(await after.verifyMac(mac, 'HMAC_SHA_224', utf8('m'), tag)).toBe(true);
      expect(await after.publicKey(ec)).toEqual(await before.publicKey(ec));
      expect(
        await before.verify(
          ec,
          'ECDSA_SHA_256',
          utf8('m'),
          'RAW',
          await after.sign(ec, 'ECDSA_SHA_256', utf8('m'), 'RAW'),
        ),
      ).toBe(true);
      const material = nodeRandomBytes(32);
      const wrapped = publicEncrypt(
        { key: spki(wrapping.publicKey), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
        material,
      );
      const target = { keySpec: 'SYMMETRIC_DEFAULT' as const, keyId: 'k' };
      expect(await after.unwrapImport(wrapping.wrappingId, 'RSAES_OAEP_SHA_256', wrapped, target)).toBe(
        await before.importMaterial(target, material),
      );

      const stranger = createHsm({ domainKey: nodeRandomBytes(32) });
      expect(await rejection(stranger.restore(snapshot))).toMatchObject({
        type: 'KMSInternalException',
        message: expect.stringContaining('does not open with this domain key'),
      });
      const altered = { ...snapshot, sealed: snapshot.sealed.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) };
      expect((await rejection(after.restore(altered))).type).toBe('KMSInternalException');
      expect((await rejection(after.restore({ nonsense: true } as never))).message).toContain(
        'not an HSM snapshot',
      );
      // A failed restore leaves the HSM as it was.
      expect(after.has(aes)).toBe(true);
    },
    SLOW,
  );

  it('destroy forgets material: its blobs no longer open', async () => {
    const hsm = createHsm();
    const id = await hsm.generate('SYMMETRIC_DEFAULT');
    const blob = await hsm.encrypt(id, utf8('gone'));
    hsm.destroy(id);
    expect(hsm.has(id)).toBe(false);
    expect((await rejection(hsm.decrypt(id, blob))).type).toBe('KMSInternalException');
  });

  it('random gives the requested number of bytes', () => {
    const hsm = createHsm();
    expect(hsm.random(1).length).toBe(1);
    expect(hsm.random(1024).length).toBe(1024);
    expect(Buffer.from(hsm.random(32)).equals(Buffer.from(hsm.random(32)))).toBe(false);
  });
});
