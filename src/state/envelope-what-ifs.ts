/**
 * The visualizer's what-ifs: each changes one thing about the message made in the walkthrough (or about its KMS
 * key) and tries to open it again through the tab's KMS, then puts back what it changed. Every call is a real call
 * on the tab's KMS, recorded in the outcome and in the trail; the outcome says what happened, never what should.
 * Key administration (disable, schedule deletion, rotate, create) is done as the key account's root, which the
 * default key policy allows (facts §2.7).
 */
import { createKmsKeyring, encrypt } from '../envelope';
import { inspectMessage } from '../envelope/inspect';
import { splitArn } from '../engine/arn';
import type { KmsCaller } from '../kms/api';
import {
  errorText,
  openMessage,
  recordingKms,
  type KmsExchange,
  type KmsLike,
  type SealedWalkthrough,
} from './envelope-walkthrough';

export type WhatIfId =
  | 'wrong-context'
  | 'key-disabled'
  | 'key-pending-deletion'
  | 'key-rotated'
  | 'no-decrypt'
  | 'byte-flipped'
  | 'second-account';

export interface WhatIfOutcome {
  id: WhatIfId;
  /** Did the message (or its data key) open? */
  opened: boolean;
  summary: string;
  calls: KmsExchange[];
}

export const WHAT_IFS: { id: WhatIfId; label: string }[] = [
  { id: 'wrong-context', label: 'Wrong encryption context' },
  { id: 'key-disabled', label: 'Key disabled' },
  { id: 'key-pending-deletion', label: 'Key pending deletion' },
  { id: 'key-rotated', label: 'Key rotated' },
  { id: 'no-decrypt', label: 'Principal without kms:Decrypt' },
  { id: 'byte-flipped', label: 'One byte flipped' },
  { id: 'second-account', label: 'Second key in another account' },
];

/** The account the scenario's second account key lives in when the lab has to create one. */
export const OTHER_ACCOUNT = '444455556666';

const accountOf = (arn: string) => splitArn(arn)?.[4] ?? '';
const rootOf = (account: string): KmsCaller => ({ principalArn: `arn:aws:iam::${account}:root` });

/** The KMS key ARN of the message's first encrypted data key. */
const firstKeyArn = (sealed: SealedWalkthrough) => sealed.summary!.encryptedDataKeys[0].providerInfo;

interface WhatIfContext {
  kms: KmsLike;
  sealed: SealedWalkthrough;
  /** Keys the tab's KMS listed, by ARN (to find a key in another account). */
  keyArns: string[];
}

/** Opens the walkthrough's message again as its principal, with the calls recorded into `calls`. */
async function reopen(context: WhatIfContext, calls: KmsExchange[], caller?: KmsCaller, keyIds?: string[]) {
  const opened = await openMessage(
    context.kms,
    context.sealed.message!,
    caller ?? context.sealed.input.caller,
    keyIds,
  );
  calls.push(...opened.calls);
  return opened;
}

async function admin(
  context: WhatIfContext,
  calls: KmsExchange[],
  operation: string,
  request: Record<string, unknown>,
  account: string,
) {
  await recordingKms(context.kms, calls).call(operation, request, rootOf(account));
}

type AdminCall = [operation: string, request: Record<string, unknown>];

const refusal = (text: string | undefined) => `Refused: ${text ?? 'no reason given'}`;

export async function runWhatIf(id: WhatIfId, context: WhatIfContext): Promise<WhatIfOutcome> {
  const calls: KmsExchange[] = [];
  const { sealed } = context;
  const arn = firstKeyArn(sealed);
  const account = accountOf(arn);
  const done = (opened: boolean, summary: string): WhatIfOutcome => ({ id, opened, summary, calls });
  /** Changes the key's state as its account's root, tries the message, and puts the state back. */
  const openWhileChanged = async (what: string, change: AdminCall[], restore: AdminCall[]) => {
    for (const [operation, request] of change)
      await admin(context, calls, operation, { KeyId: arn, ...request }, account);
    try {
      const opened = await reopen(context, calls);
      return done(!opened.error, opened.error ? refusal(opened.error) : `Opened although ${what}.`);
    } finally {
      for (const [operation, request] of restore)
        await admin(context, calls, operation, { KeyId: arn, ...request }, account);
    }
  };
  try {
    switch (id) {
      case 'wrong-context': {
        // KMS binds the context to the ciphertext as AAD (facts §1, encryption context): any change fails.
        const changed = { ...sealed.summary!.encryptionContext };
        const userKeys = Object.keys(sealed.input.encryptionContext);
        if (userKeys.length) changed[userKeys[0]] = `${changed[userKeys[0]]}-changed`;
        else changed.purpose = 'something-else';
        const edk = generatedEdk(sealed);
        try {
          await recordingKms(context.kms, calls).call(
            'Decrypt',
            { KeyId: arn, CiphertextBlob: edk, EncryptionContext: changed },
            sealed.input.caller,
          );
          return done(true, 'KMS decrypted the data key with a different context.');
        } catch (error) {
          return done(
            false,
            `KMS refused to decrypt the data key with context ${JSON.stringify(changed)}: ${errorText(error)} ` +
              'The context is bound to the encrypted data key; only the exact pairs it was made with open it.',
          );
        }
      }
      case 'key-disabled':
        return await openWhileChanged('the key is disabled', [['DisableKey', {}]], [['EnableKey', {}]]);
      case 'key-pending-deletion':
        // CancelKeyDeletion leaves the key Disabled (API CancelKeyDeletion): enable it again.
        return await openWhileChanged(
          'the key is pending deletion',
          [['ScheduleKeyDeletion', { PendingWindowInDays: 7 }]],
          [
            ['CancelKeyDeletion', {}],
            ['EnableKey', {}],
          ],
        );
      case 'key-rotated': {
        const made = sealed.calls.find((c) => c.operation === 'GenerateDataKey')?.response?.KeyMaterialId;
        await admin(context, calls, 'RotateKeyOnDemand', { KeyId: arn }, account);
        const log = recordingKms(context.kms, calls);
        const described = await log.call('DescribeKey', { KeyId: arn }, rootOf(account));
        const current = (described.KeyMetadata as Record<string, unknown> | undefined)?.CurrentKeyMaterialId;
        const opened = await reopen(context, calls);
        if (opened.error) return done(false, refusal(opened.error));
        const older = opened.keyMaterialId !== undefined && opened.keyMaterialId !== current;
        return done(
          true,
          `The old message still opens: KMS decrypted its data key with key material ${short(opened.keyMaterialId)}` +
            `${made === opened.keyMaterialId ? ' (the material it was made with)' : ''}; the key's current material is now ` +
            `${short(current)}${older ? ', a newer one' : ''}. Rotation keeps every older material to decrypt with.`,
        );
      }
      case 'no-decrypt': {
        // A principal the scenario gives no policy: the default key policy delegates to IAM, which allows nothing.
        const caller = {
          principalArn: `arn:aws:iam::${accountOf(sealed.input.caller.principalArn) || account}:user/NoDecryptPermission`,
        };
        const opened = await reopen(context, calls, caller);
        return done(
          !opened.error,
          opened.error
            ? `${caller.principalArn}: ${refusal(opened.error)}`
            : `${caller.principalArn} opened it.`,
        );
      }
      case 'byte-flipped': {
        const part = sealed.summary!.parts[0];
        const message = sealed.message!.slice();
        const at = part.offset + part.length - 17; // the last ciphertext byte of the first part (or its header)
        message[at] ^= 0x01;
        const opened = await openMessage(context.kms, message, sealed.input.caller);
        calls.push(...opened.calls);
        return done(
          !opened.error,
          opened.error
            ? `Byte ${at} changed (0x${sealed.message![at].toString(16).padStart(2, '0')} → 0x${message[at].toString(16).padStart(2, '0')}). ${refusal(opened.error)} No plaintext was released.`
            : 'The changed message opened.',
        );
      }
      case 'second-account':
        return await secondAccount(context, calls, done);
    }
  } catch (error) {
    return done(false, `The what-if stopped: ${errorText(error)}`);
  }
}

const short = (id: unknown) => (typeof id === 'string' ? `${id.slice(0, 12)}…` : 'unknown');

/** The encrypted data key GenerateDataKey returned (the message's first EDK). */
function generatedEdk(sealed: SealedWalkthrough): Uint8Array {
  const call = sealed.calls.find((c) => c.operation === 'GenerateDataKey');
  return call!.response!.CiphertextBlob as Uint8Array;
}

/** A key policy for the second account's key: its own root administers it; the first account may wrap with it. */
function secondKeyPolicy(owner: string, user: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'Enable IAM User Permissions',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${owner}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
      {
        Sid: 'LetTheOtherAccountWrap',
        Effect: 'Allow',
        Principal: { AWS: user },
        Action: 'kms:Encrypt',
        Resource: '*',
      },
    ],
  });
}

async function secondAccount(
  context: WhatIfContext,
  calls: KmsExchange[],
  done: (opened: boolean, summary: string) => WhatIfOutcome,
): Promise<WhatIfOutcome> {
  const { sealed } = context;
  const first = sealed.input.keyId;
  const firstAccount = accountOf(firstKeyArn(sealed));
  let second = context.keyArns.find((arn) => accountOf(arn) !== firstAccount);
  if (!second) {
    const log = recordingKms(context.kms, calls);
    const created = await log.call(
      'CreateKey',
      {
        Description: 'Second account key (envelope what-if)',
        Policy: secondKeyPolicy(OTHER_ACCOUNT, sealed.input.caller.principalArn),
      },
      rootOf(OTHER_ACCOUNT),
    );
    second = (created.KeyMetadata as { Arn: string }).Arn;
  }
  // The multi-keyring: the first key makes the data key, the second wraps it too (ESDK "AWS KMS keyrings").
  const twice = await sealWalkthroughWithKeys(context, first, second);
  calls.push(...twice.calls);
  if (twice.error) return done(false, `Encrypting under both keys failed: ${twice.error}`);
  const owner = rootOf(accountOf(second));
  const opened = await openMessage(context.kms, twice.message!, owner, [second]);
  calls.push(...opened.calls);
  const keys = inspectMessage(twice.message!).encryptedDataKeys.map((k) => k.providerInfo);
  return done(
    !opened.error,
    opened.error
      ? `The message has encrypted data keys for ${keys.join(' and ')}; ${owner.principalArn} could not open it: ${opened.error}`
      : `One message, two encrypted data keys (${keys.join(' and ')}). ${owner.principalArn} opened it with the second one, without any access to the first key.`,
  );
}

async function sealWalkthroughWithKeys(context: WhatIfContext, generator: string, other: string) {
  const calls: KmsExchange[] = [];
  const { input } = context.sealed;
  try {
    const keyring = createKmsKeyring({
      kms: recordingKms(context.kms, calls),
      caller: input.caller,
      generatorKeyId: generator,
      keyIds: [other],
    });
    const { message } = await encrypt(input.plaintext, {
      keyring,
      encryptionContext: input.encryptionContext,
    });
    return { calls, message };
  } catch (error) {
    return { calls, error: errorText(error) };
  }
}
