/**
 * What the Envelope visualizer shows, computed with the real pieces: the ESDK encryptor and decryptor of
 * `src/envelope` with a KMS keyring over the tab's KMS, every KMS call recorded as it went (request, caller,
 * answer or refusal), so the steps show what happened rather than a story about it. Each call also lands in the
 * KMS's CloudTrail as any other call does.
 */
import {
  createKmsKeyring,
  decrypt,
  encrypt,
  isEnvelopeError,
  type EncryptionContext,
  type SuiteId,
} from '../envelope';
import { messageRegions, type MessageRegion } from '../envelope/byte-map';
import { inspectMessage, type MessageSummary } from '../envelope/inspect';
import type { KmsApi, KmsCaller, KmsRequest, KmsResponse } from '../kms/api';
import type { TrailRecord } from '../kms/trail';

/** The KMS the walkthrough calls; with its trail, each recorded call keeps the CloudTrail record it wrote. */
export type KmsLike = Pick<KmsApi, 'call'> & { trail?: { readonly records: readonly TrailRecord[] } };

export interface KmsExchange {
  operation: string;
  request: KmsRequest;
  caller: string;
  response?: KmsResponse;
  error?: { name: string; message: string };
  /** The CloudTrail record of the call (what the Lab explains). */
  record?: TrailRecord;
}

/** A KMS that records each call in `log`, then passes it on. */
export function recordingKms(kms: KmsLike, log: KmsExchange[]): KmsLike {
  return {
    async call(operation, request, caller) {
      const entry: KmsExchange = { operation, request, caller: caller.principalArn };
      log.push(entry);
      const before = kms.trail?.records.length ?? 0;
      const keepRecord = () => {
        const records = kms.trail?.records ?? [];
        const record = records.length > before ? records[records.length - 1] : undefined;
        if (record?.eventName === operation) entry.record = record;
      };
      try {
        entry.response = await kms.call(operation, request, caller);
        keepRecord();
        return entry.response;
      } catch (error) {
        keepRecord();
        entry.error = {
          name: error instanceof Error ? error.name : 'Error',
          message: error instanceof Error ? error.message : String(error),
        };
        throw error;
      }
    },
  };
}

/** "AccessDeniedException: …" for a KMS error; an EnvelopeError's message already says what failed. */
export const errorText = (error: unknown) =>
  error instanceof Error
    ? error.name && error.name !== 'Error' && error.name !== 'EnvelopeError'
      ? `${error.name}: ${error.message}`
      : error.message
    : String(error);

export interface WalkthroughInput {
  plaintext: Uint8Array;
  keyId: string;
  caller: KmsCaller;
  encryptionContext: EncryptionContext;
  suiteId?: SuiteId;
  frameLength?: number;
}

export interface SealedWalkthrough {
  input: WalkthroughInput;
  /** The GenerateDataKey call (and any other the keyring made). */
  calls: KmsExchange[];
  /** A copy of the plaintext data key, shown once and then overwritten by `discardDataKey`. */
  dataKey?: Uint8Array;
  message?: Uint8Array;
  summary?: MessageSummary;
  regions?: MessageRegion[];
  /** Why encryption stopped (a refused GenerateDataKey, a bad context …). */
  error?: string;
}

export async function sealWalkthrough(kms: KmsLike, input: WalkthroughInput): Promise<SealedWalkthrough> {
  const calls: KmsExchange[] = [];
  const keyring = createKmsKeyring({
    kms: recordingKms(kms, calls),
    caller: input.caller,
    generatorKeyId: input.keyId,
  });
  try {
    const { message } = await encrypt(input.plaintext, {
      keyring,
      encryptionContext: input.encryptionContext,
      ...(input.suiteId !== undefined ? { suiteId: input.suiteId } : {}),
      frameLength: input.frameLength ?? 4096,
    });
    const plaintextKey = calls.find((c) => c.operation === 'GenerateDataKey')?.response?.Plaintext;
    const summary = inspectMessage(message);
    return {
      input,
      calls,
      ...(plaintextKey instanceof Uint8Array ? { dataKey: plaintextKey.slice() } : {}),
      message,
      summary,
      regions: messageRegions(summary),
    };
  } catch (error) {
    return { input, calls, error: errorText(error) };
  }
}

/** The visualizer's "plaintext key discarded" step: the copy it showed is overwritten, as the ESDK does. */
export function discardDataKey(sealed: SealedWalkthrough): void {
  sealed.dataKey?.fill(0);
}

export interface OpenedWalkthrough {
  calls: KmsExchange[];
  plaintext?: Uint8Array;
  /** The KMS key material that decrypted the data key (Decrypt's KeyMaterialId). */
  keyMaterialId?: string;
  error?: string;
  errorCode?: string;
  errorOffset?: number;
}

/** Decrypts `message` as `caller` with a KMS keyring: the configured keys, or discovery. */
export async function openMessage(
  kms: KmsLike,
  message: Uint8Array,
  caller: KmsCaller,
  keyIds?: string[],
): Promise<OpenedWalkthrough> {
  const calls: KmsExchange[] = [];
  const keyring = createKmsKeyring({
    kms: recordingKms(kms, calls),
    caller,
    ...(keyIds ? { keyIds } : { discovery: true }),
  });
  try {
    const { plaintext } = await decrypt(message, { keyring });
    const decrypted = calls.find((c) => c.operation === 'Decrypt' && c.response)?.response;
    const materialId = decrypted?.KeyMaterialId;
    return { calls, plaintext, ...(typeof materialId === 'string' ? { keyMaterialId: materialId } : {}) };
  } catch (error) {
    return {
      calls,
      error: errorText(error),
      ...(isEnvelopeError(error) ? { errorCode: error.code } : {}),
      ...(isEnvelopeError(error) && error.offset !== undefined ? { errorOffset: error.offset } : {}),
    };
  }
}
