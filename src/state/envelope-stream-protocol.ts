/**
 * Messages between the tab and the envelope streaming Worker (`envelope-stream.worker.ts`). The Worker reads the
 * file itself (`Blob.stream()`), so the tab never holds the input; the simulated KMS stays in the tab, so the
 * Worker asks for each KMS call (GenerateDataKey on encrypt, Decrypt on decrypt) with a `kms` message and waits
 * for the `kms-reply`. Everything here is structured-cloneable (Blobs, Uint8Arrays, plain objects).
 */
import type { KmsCaller, KmsRequest, KmsResponse } from '../kms/api';
import type { EncryptionContext, SuiteId } from '../envelope';

export interface StreamJob {
  id: number;
  mode: 'encrypt' | 'decrypt';
  input: Blob;
  /** Who the Worker's KMS keyring calls KMS as. */
  caller: KmsCaller;
  /** Encrypt: the KMS key that makes the data key (GenerateDataKey). Decrypt uses discovery. */
  keyId?: string;
  /** Encrypt: the message's context. Decrypt: pairs the message must carry. */
  encryptionContext: EncryptionContext;
  suiteId?: SuiteId;
  frameLength?: number;
}

export type ToStreamWorker =
  | { type: 'start'; job: StreamJob }
  | { type: 'cancel'; id: number }
  | { type: 'kms-reply'; callId: number; response: KmsResponse }
  | { type: 'kms-reply'; callId: number; error: { name: string; message: string } };

export interface StreamResult {
  id: number;
  /** The whole output: the message (encrypt) or the plaintext (decrypt, only after every check passed). */
  output: Blob;
  bytesIn: number;
  suite: string;
  frameLength: number;
  /** Encrypted data keys' provider info (the KMS key ARNs). */
  keys: string[];
  /** Wall time of the streaming, KMS calls included. */
  milliseconds: number;
}

export type FromStreamWorker =
  | { type: 'progress'; id: number; done: number; total: number }
  | { type: 'kms'; id: number; callId: number; operation: string; request: KmsRequest }
  | ({ type: 'done' } & StreamResult)
  | { type: 'failed'; id: number; code: string; message: string; offset?: number };
