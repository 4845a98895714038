/**
 * The envelope streaming Web Worker: encrypts and decrypts files frame by frame off the main thread
 * (`envelope-stream-core.ts`), one job at a time per Worker. KMS calls go to the tab, which owns the simulated
 * KMS, and come back as `kms-reply` messages.
 */
import type { KmsRequest, KmsResponse } from '../kms/api';
import { runStreamJob } from './envelope-stream-core';
import type { FromStreamWorker, ToStreamWorker } from './envelope-stream-protocol';

const post = (message: FromStreamWorker) =>
  (self as unknown as { postMessage(message: FromStreamWorker): void }).postMessage(message);

const waiting = new Map<number, { resolve(r: KmsResponse): void; reject(e: unknown): void }>();
const cancels = new Map<number, AbortController>();
let nextCallId = 1;

function kmsFor(id: number) {
  return {
    call: (operation: string, request: KmsRequest) =>
      new Promise<KmsResponse>((resolve, reject) => {
        const callId = nextCallId++;
        waiting.set(callId, { resolve, reject });
        post({ type: 'kms', id, callId, operation, request });
      }),
  };
}

self.onmessage = (event: MessageEvent<ToStreamWorker>) => {
  const message = event.data;
  if (message.type === 'start') {
    const controller = new AbortController();
    cancels.set(message.job.id, controller);
    void runStreamJob(message.job, {
      kms: kmsFor(message.job.id),
      post,
      signal: controller.signal,
    }).finally(() => cancels.delete(message.job.id));
  } else if (message.type === 'cancel') {
    cancels.get(message.id)?.abort();
  } else {
    const pending = waiting.get(message.callId);
    waiting.delete(message.callId);
    if (!pending) return;
    if ('error' in message)
      pending.reject(Object.assign(new Error(message.error.message), { name: message.error.name }));
    else pending.resolve(message.response);
  }
};
