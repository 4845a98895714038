/**
 * Interop with the real AWS Encryption SDK for JavaScript (`@aws-crypto/client-node`, a devDependency): the SDK
 * decrypts what the lab encrypts and the lab decrypts what the SDK encrypts, with the raw AES keyring (the SDK's
 * with `utf8Sorting: true`) and with KMS keyrings whose KMS is the lab's simulated one (the SDK's KmsKeyringNode
 * with a client that forwards to `createKms`), across suites, frame lengths 1, 512 and 4096, plaintext sizes 0, 1,
 * frame−1, frame, frame+1 and 100 kB, and encryption contexts whose keys sort differently by UTF-8 bytes, by UTF-16
 * code units and by locale.
 */
import {
  buildClient,
  CommitmentPolicy,
  KmsKeyringNode,
  RawAesKeyringNode,
  RawAesWrappingSuiteIdentifier,
} from '@aws-crypto/client-node';
import { describe, expect, it } from 'vitest';
import { createKms } from '../kms/kms';
import type { KmsApi, KmsCaller } from '../kms/api';
import type { Scenario } from '../scenario/types';
import { randomBytes } from './bytes';
import type { CommitmentPolicy as LabPolicy } from './commitment-policy';
import { decrypt, encrypt } from './index';
import { createKmsKeyring } from './kms-keyring';
import { createRawAesKeyring } from './raw-aes-keyring';
import { SUITE_IDS, SUITES, suiteHex, type SuiteId } from './suites';

/** "B" < "a" in bytes but not by locale; U+FF21 < U+1F600 in UTF-8 but not in UTF-16; a key and a value in CJK. */
const CONTEXT = { a: 'lower', B: 'upper', Ａ: 'fullwidth', '😀': 'emoji', 日本: '東京', purpose: 'interop' };

const WRAPPING_KEY = randomBytes(32);
const NAMESPACE = 'lab-interop';
const KEY_NAME = 'aes-256 wrapping key';

const sdkRawKeyring = () =>
  new RawAesKeyringNode({
    keyNamespace: NAMESPACE,
    keyName: KEY_NAME,
    unencryptedMasterKey: WRAPPING_KEY,
    wrappingSuite: RawAesWrappingSuiteIdentifier.AES256_GCM_IV12_TAG16_NO_PADDING,
    utf8Sorting: true,
  });
const labRawKeyring = () =>
  createRawAesKeyring({ keyNamespace: NAMESPACE, keyName: KEY_NAME, wrappingKey: WRAPPING_KEY });

/** The SDK client for a suite: committing suites under the default policy, the others under FORBID…. */
const sdkFor = (suite: SuiteId) =>
  buildClient(
    SUITES[suite].committing
      ? CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT
      : CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT,
  );
const labPolicy = (suite: SuiteId): LabPolicy =>
  SUITES[suite].committing ? 'REQUIRE_ENCRYPT_REQUIRE_DECRYPT' : 'FORBID_ENCRYPT_ALLOW_DECRYPT';

function labEncrypt(plaintext: Uint8Array, suiteId: SuiteId, frameLength: number, keyring = labRawKeyring()) {
  return encrypt(plaintext, {
    keyring,
    suiteId,
    frameLength,
    encryptionContext: CONTEXT,
    commitmentPolicy: labPolicy(suiteId),
  });
}
const labDecrypt = (message: Uint8Array, keyring = labRawKeyring(), suite?: SuiteId) =>
  decrypt(message, {
    keyring,
    commitmentPolicy:
      suite === undefined || SUITES[suite].committing ? undefined : 'REQUIRE_ENCRYPT_ALLOW_DECRYPT',
    encryptionContext: CONTEXT,
  });

async function bothWays(suiteId: SuiteId, frameLength: number, size: number) {
  const plaintext = randomBytes(size);
  const sdk = sdkFor(suiteId);
  const ours = await labEncrypt(plaintext, suiteId, frameLength);
  const opened = await sdk.decrypt(sdkRawKeyring(), ours.message);
  expect(new Uint8Array(opened.plaintext)).toEqual(plaintext);
  expect(opened.messageHeader.encryptionContext).toMatchObject(CONTEXT);
  const theirs = await sdk.encrypt(sdkRawKeyring(), plaintext, {
    suiteId,
    frameLength,
    encryptionContext: CONTEXT,
  });
  const back = await labDecrypt(new Uint8Array(theirs.result), labRawKeyring(), suiteId);
  expect(back.plaintext).toEqual(plaintext);
  expect(back.header.suite.id).toBe(suiteId);
  expect(back.header.frameLength).toBe(frameLength);
}

const sizesFor = (frame: number, large = true) =>
  [0, 1, frame - 1, frame, frame + 1, ...(large ? [100_000] : [])].filter(
    (size, i, all) => all.indexOf(size) === i,
  );

// Each case runs both SDKs over sizes up to 100 kB in small frames: past the 5 s default on a loaded 2-vCPU box.
describe('raw AES keyring, the lab and the real SDK', { timeout: 30_000 }, () => {
  describe.each([0x0578, 0x0478, 0x0378].map((id) => [suiteHex(id), id as SuiteId] as const))(
    'suite %s',
    (_hex, suite) => {
      // 100 kB in 1-byte frames is 100,000 AES-GCM calls per side and direction: once, for the default suite.
      it.each([1, 512, 4096])(
        'frame length %i, every size',
        async (frame) => {
          for (const size of sizesFor(frame, frame > 1 || suite === 0x0578))
            await bothWays(suite, frame, size);
        },
        120_000,
      );
    },
  );

  it.each(SUITE_IDS.map((id) => [suiteHex(id), id] as const))(
    'suite %s, frame length 512',
    async (_hex, suite) => {
      for (const size of sizesFor(512)) await bothWays(suite, 512, size);
    },
  );

  it("the SDK decrypts the lab's non-framed messages", async () => {
    for (const suiteId of [0x0578, 0x0478, 0x0178] as const) {
      const plaintext = randomBytes(10_000);
      const ours = await encrypt(plaintext, {
        keyring: labRawKeyring(),
        suiteId,
        contentType: 'non-framed',
        encryptionContext: CONTEXT,
        commitmentPolicy: labPolicy(suiteId),
      });
      const opened = await sdkFor(suiteId).decrypt(sdkRawKeyring(), ours.message);
      expect(new Uint8Array(opened.plaintext)).toEqual(plaintext);
    }
  });

  it('a context the SDK sorts by locale (no utf8Sorting) does not open: the lab sorts by UTF-8 bytes', async () => {
    const localeSorted = new RawAesKeyringNode({
      keyNamespace: NAMESPACE,
      keyName: KEY_NAME,
      unencryptedMasterKey: WRAPPING_KEY,
      wrappingSuite: RawAesWrappingSuiteIdentifier.AES256_GCM_IV12_TAG16_NO_PADDING,
    });
    const ours = await labEncrypt(randomBytes(10), 0x0478, 4096);
    await expect(sdkFor(0x0478).decrypt(localeSorted, ours.message)).rejects.toThrow();
  });
});

// Two accounts: alice's key in 111122223333 makes the data key, bob's key in 444455556666 (whose policy lets
// alice encrypt with it) wraps it again, so either can open the message alone.
const ALICE = 'arn:aws:iam::111122223333:user/alice';
const BOB = 'arn:aws:iam::444455556666:user/bob';
const KEY_A = 'arn:aws:kms:us-east-1:111122223333:key/11111111-1111-1111-1111-111111111111';
const KEY_B = 'arn:aws:kms:us-east-1:444455556666:key/22222222-2222-2222-2222-222222222222';
const allowAll = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] };
const SCENARIO: Scenario = {
  version: 2,
  principals: { [ALICE]: { policies: [allowAll] }, [BOB]: { policies: [allowAll] } },
  keys: {
    [KEY_A]: {},
    [KEY_B]: {
      policy: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: 'arn:aws:iam::444455556666:root' },
            Action: 'kms:*',
            Resource: '*',
          },
          { Effect: 'Allow', Principal: { AWS: ALICE }, Action: 'kms:Encrypt', Resource: '*' },
        ],
      },
    },
  },
};

/** What the SDK's KMS keyring calls on its client, forwarded to the simulated KMS as one principal. */
function sdkClientFor(kms: KmsApi, caller: KmsCaller) {
  const forward = (operation: string) => (request: Record<string, unknown>) =>
    kms.call(operation, request, caller);
  return {
    generateDataKey: forward('GenerateDataKey'),
    encrypt: forward('Encrypt'),
    decrypt: forward('Decrypt'),
  };
}

describe('KMS keyrings over the simulated KMS, the lab and the real SDK', () => {
  it.each([0x0578, 0x0478, 0x0378].map((id) => [suiteHex(id), id as SuiteId] as const))(
    'suite %s, two keys in two accounts',
    async (_hex, suiteId) => {
      const kms = createKms({ scenario: SCENARIO });
      const alice = { principalArn: ALICE };
      const bob = { principalArn: BOB };
      const sdkAsAlice = new KmsKeyringNode({
        generatorKeyId: KEY_A,
        keyIds: [KEY_B],
        clientProvider: (() => sdkClientFor(kms, alice)) as never,
      });
      const sdkAsBob = new KmsKeyringNode({
        keyIds: [KEY_B],
        clientProvider: (() => sdkClientFor(kms, bob)) as never,
      });
      const labAsAlice = createKmsKeyring({ kms, caller: alice, generatorKeyId: KEY_A, keyIds: [KEY_B] });
      const labAsBob = createKmsKeyring({ kms, caller: bob, keyIds: [KEY_B] });
      const sdk = sdkFor(suiteId);
      for (const size of [0, 1, 4096, 100_000]) {
        const plaintext = randomBytes(size);
        const ours = await labEncrypt(plaintext, suiteId, 4096, labAsAlice);
        expect(
          ours.header.encryptedDataKeys.map((edk) => new TextDecoder().decode(edk.providerInfo)),
        ).toEqual([KEY_A, KEY_B]);
        expect(new Uint8Array((await sdk.decrypt(sdkAsBob, ours.message)).plaintext)).toEqual(plaintext);
        expect(new Uint8Array((await sdk.decrypt(sdkAsAlice, ours.message)).plaintext)).toEqual(plaintext);
        const theirs = await sdk.encrypt(sdkAsAlice, plaintext, {
          suiteId,
          frameLength: 4096,
          encryptionContext: CONTEXT,
        });
        expect((await labDecrypt(new Uint8Array(theirs.result), labAsBob, suiteId)).plaintext).toEqual(
          plaintext,
        );
        expect((await labDecrypt(new Uint8Array(theirs.result), labAsAlice, suiteId)).plaintext).toEqual(
          plaintext,
        );
      }
      // Every KMS call of both sides went through the simulated KMS with the message's context.
      const decrypts = kms.trail.query({ eventName: 'Decrypt', error: false });
      expect(decrypts.length).toBeGreaterThanOrEqual(16);
      for (const event of decrypts) expect(event.requestParameters?.encryptionContext).toMatchObject(CONTEXT);
    },
    60_000,
  );
});
