import { describe, expect, it } from 'vitest';
import { createKms } from '../kms/kms';
import type { Scenario } from '../scenario/types';
import { own, randomBytes, utf8, view } from './bytes';
import { createDataKeyKeyring } from './data-key-keyring';
import { serializeContextPairs } from './encryption-context';
import { decrypt, encrypt } from './index';
import { createKmsKeyring } from './kms-keyring';
import { createRawAesKeyring } from './raw-aes-keyring';
import { SUITES } from './suites';

describe('raw AES keyring wire format', () => {
  const wrappingKey = randomBytes(32);
  const keyring = createRawAesKeyring({ keyNamespace: 'acme-ns', keyName: 'key-1', wrappingKey });
  const context = { b: '2', a: '1' };

  it('provider ID = namespace; info = name ‖ 128 ‖ 12 ‖ IV; EDK = AES-GCM(data key, AAD = context pairs) ‖ tag', async () => {
    const { dataKey, encryptedDataKeys } = await keyring.onEncrypt({
      suite: SUITES[0x0578],
      encryptionContext: context,
    });
    const [edk] = encryptedDataKeys;
    expect(edk.providerId).toBe('acme-ns');
    const name = utf8('key-1');
    expect(edk.providerInfo.subarray(0, name.length)).toEqual(name);
    const fields = view(edk.providerInfo.subarray(name.length));
    expect([fields.getUint32(0), fields.getUint32(4), edk.providerInfo.length]).toEqual([
      128,
      12,
      name.length + 20,
    ]);
    expect(edk.ciphertext).toHaveLength(32 + 16);
    // Open it by hand: the AAD is the header's AAD field without its 2-byte length.
    const key = await crypto.subtle.importKey('raw', own(wrappingKey), 'AES-GCM', false, ['decrypt']);
    const opened = await crypto.subtle.decrypt(
      {
        name: 'AES-GCM',
        iv: own(edk.providerInfo.subarray(name.length + 8)),
        additionalData: own(serializeContextPairs(context)),
      },
      key,
      own(edk.ciphertext),
    );
    expect(new Uint8Array(opened)).toEqual(dataKey);
  });

  it('opens only its own EDKs, with the same context', async () => {
    const suite = SUITES[0x0478];
    const { dataKey, encryptedDataKeys } = await keyring.onEncrypt({ suite, encryptionContext: context });
    await expect(
      keyring.onDecrypt({ suite, encryptionContext: context, encryptedDataKeys }),
    ).resolves.toEqual(dataKey);
    await expect(
      keyring.onDecrypt({ suite, encryptionContext: { a: '1' }, encryptedDataKeys }),
    ).rejects.toThrow(/tag does not verify/);
    const stranger = createRawAesKeyring({ keyNamespace: 'acme-ns', keyName: 'key-2', wrappingKey });
    await expect(
      stranger.onDecrypt({ suite, encryptionContext: context, encryptedDataKeys }),
    ).rejects.toThrow(
      /no encrypted data key is for raw AES key acme-ns\/key-2 \(the message has 1 encrypted data key: acme-ns\)/,
    );
  });

  it('refuses bad setups', () => {
    expect(() => createRawAesKeyring({ keyNamespace: 'aws-kms', keyName: 'k', wrappingKey })).toThrow(
      /may not start with "aws-kms"/,
    );
    expect(() =>
      createRawAesKeyring({ keyNamespace: 'n', keyName: 'k', wrappingKey: new Uint8Array(20) }),
    ).toThrow(/16, 24 or 32 bytes/);
  });

  it("128- and 192-bit wrapping keys work too (Node's WebCrypto has AES-192)", async () => {
    for (const size of [16, 24]) {
      const small = createRawAesKeyring({ keyNamespace: 'n', keyName: 'k', wrappingKey: randomBytes(size) });
      const { message } = await encrypt(utf8('hello'), { keyring: small });
      expect((await decrypt(message, { keyring: small })).plaintext).toEqual(utf8('hello'));
    }
  });
});

describe('known data key keyring', () => {
  it('decrypts with the key it knows, whatever the EDKs, and cannot encrypt', async () => {
    const raw = createRawAesKeyring({ keyNamespace: 'n', keyName: 'k', wrappingKey: randomBytes(32) });
    let dataKey: Uint8Array | undefined;
    const spying = {
      onEncrypt: async (request: Parameters<typeof raw.onEncrypt>[0]) => {
        const materials = await raw.onEncrypt(request);
        dataKey = materials.dataKey;
        return materials;
      },
      onDecrypt: raw.onDecrypt,
    };
    const { message } = await encrypt(utf8('secret'), { keyring: spying });
    expect((await decrypt(message, { keyring: createDataKeyKeyring(dataKey!) })).plaintext).toEqual(
      utf8('secret'),
    );
    await expect(decrypt(message, { keyring: createDataKeyKeyring(randomBytes(32)) })).rejects.toMatchObject({
      code: 'COMMITMENT_MISMATCH',
    });
    await expect(encrypt(utf8('x'), { keyring: createDataKeyKeyring(dataKey!) })).rejects.toThrow(
      /can only decrypt/,
    );
  });
});

const ALICE = 'arn:aws:iam::111122223333:user/alice';
const CAROL = 'arn:aws:iam::111122223333:user/carol';
const KEY_1 = 'arn:aws:kms:us-east-1:111122223333:key/11111111-1111-1111-1111-111111111111';
const KEY_2 = 'arn:aws:kms:us-east-1:111122223333:key/22222222-2222-2222-2222-222222222222';
const allow = (actions: string[], resource = '*') => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: actions, Resource: resource }],
});
const SCENARIO: Scenario = {
  version: 2,
  principals: {
    [ALICE]: { policies: [allow(['kms:*'])] },
    // Carol may decrypt with key 2 only.
    [CAROL]: { policies: [allow(['kms:Decrypt'], KEY_2)] },
  },
  keys: { [KEY_1]: {}, [KEY_2]: {} },
};

describe('KMS keyring over createKms', () => {
  const context = { department: 'finance' };

  it('GenerateDataKey with the generator, Encrypt with each other key, the context on every call', async () => {
    const kms = createKms({ scenario: SCENARIO });
    const keyring = createKmsKeyring({
      kms,
      caller: { principalArn: ALICE },
      generatorKeyId: KEY_1,
      keyIds: [KEY_2],
    });
    const { message, header } = await encrypt(utf8('pay'), { keyring, encryptionContext: context });
    expect(
      header.encryptedDataKeys.map((edk) => [edk.providerId, new TextDecoder().decode(edk.providerInfo)]),
    ).toEqual([
      ['aws-kms', KEY_1],
      ['aws-kms', KEY_2],
    ]);
    const calls = kms.trail
      .query({ user: ALICE })
      .map((event) => [event.eventName, event.requestParameters?.keyId]);
    expect(calls).toEqual([
      ['GenerateDataKey', KEY_1],
      ['Encrypt', KEY_2],
    ]);
    for (const event of kms.trail.query({ user: ALICE }))
      expect(event.requestParameters?.encryptionContext).toMatchObject({
        ...context,
        'aws-crypto-public-key': expect.any(String),
      });
    expect((await decrypt(message, { keyring })).plaintext).toEqual(utf8('pay'));
  });

  it('on decrypt tries the EDKs in order: an AccessDenied on the first, then the second opens it', async () => {
    const kms = createKms({ scenario: SCENARIO });
    const writer = createKmsKeyring({
      kms,
      caller: { principalArn: ALICE },
      generatorKeyId: KEY_1,
      keyIds: [KEY_2],
    });
    const { message } = await encrypt(utf8('pay'), { keyring: writer, encryptionContext: context });
    const reader = createKmsKeyring({ kms, caller: { principalArn: CAROL }, discovery: true });
    expect((await decrypt(message, { keyring: reader })).plaintext).toEqual(utf8('pay'));
    const tries = kms.trail
      .query({ user: CAROL })
      .map((event) => [event.errorCode ?? 'ok', event.resources?.[0]?.ARN]);
    expect(tries).toEqual([
      ['AccessDenied', KEY_1],
      ['ok', KEY_2],
    ]);
  });

  it('configured keys: only their EDKs are tried (by ARN or key ID)', async () => {
    const kms = createKms({ scenario: SCENARIO });
    const writer = createKmsKeyring({
      kms,
      caller: { principalArn: ALICE },
      generatorKeyId: KEY_1,
      keyIds: [KEY_2],
    });
    const { message } = await encrypt(utf8('pay'), { keyring: writer });
    const byKeyId = createKmsKeyring({
      kms,
      caller: { principalArn: CAROL },
      keyIds: ['22222222-2222-2222-2222-222222222222'],
    });
    expect((await decrypt(message, { keyring: byKeyId })).plaintext).toEqual(utf8('pay'));
    expect(kms.trail.query({ user: CAROL }).filter((event) => event.errorCode)).toHaveLength(0);
    const elsewhere = createKmsKeyring({
      kms,
      caller: { principalArn: ALICE },
      keyIds: ['arn:aws:kms:us-east-1:111122223333:key/other'],
    });
    await expect(decrypt(message, { keyring: elsewhere })).rejects.toThrow(
      /no encrypted data key is for arn:aws:kms:us-east-1:111122223333:key\/other/,
    );
  });

  it('a disabled key or a wrong context: NO_DATA_KEY naming each KMS error', async () => {
    const kms = createKms({ scenario: SCENARIO });
    const keyring = createKmsKeyring({ kms, caller: { principalArn: ALICE }, generatorKeyId: KEY_1 });
    const { message } = await encrypt(utf8('pay'), { keyring, encryptionContext: context });
    await kms.call('DisableKey', { KeyId: KEY_1 }, { principalArn: ALICE });
    await expect(decrypt(message, { keyring })).rejects.toThrow(
      new RegExp(
        `KMS decrypted none of the data keys: EDK 1 \\(${KEY_1}\\): DisabledException: ${KEY_1} is disabled\\.`,
      ),
    );
    await expect(encrypt(utf8('x'), { keyring })).rejects.toMatchObject({
      code: 'KMS',
      message: expect.stringMatching(/^KMS GenerateDataKey with .* failed: DisabledException/),
    });
  });

  it('needs a generator to make a data key, and something to decrypt with', async () => {
    const kms = createKms({ scenario: SCENARIO });
    expect(() => createKmsKeyring({ kms, caller: { principalArn: ALICE } })).toThrow(
      /generator key, key IDs, or discovery/,
    );
    const discovery = createKmsKeyring({ kms, caller: { principalArn: ALICE }, discovery: true });
    await expect(encrypt(utf8('x'), { keyring: discovery })).rejects.toThrow(/cannot make a data key/);
  });
});
