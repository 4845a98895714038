/**
 * The tab's side of envelope streaming: starts a job in a Web Worker (`envelope-stream.worker.ts`), answers the
 * Worker's KMS calls through the tab's KMS session (so each shows in the trail, made as the chosen principal),
 * passes progress on, and cancels. One Worker per job, ended when the job ends.
 */
import type { KmsApi } from '../kms/api';
import type { FromStreamWorker, StreamJob, StreamResult, ToStreamWorker } from './envelope-stream-protocol';

export type { StreamJob, StreamResult } from './envelope-stream-protocol';

export class StreamFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly offset?: number,
  ) {
    super(message);
    this.name = 'StreamFailure';
  }
}

export interface StreamHandle {
  /** Resolves with the output; rejects with a StreamFailure (code ABORTED after cancel). */
  result: Promise<StreamResult>;
  cancel(): void;
}

/** The part of a Worker the client uses, so tests can pass one that runs the core on this thread. */
export type StreamWorker = Pick<Worker, 'postMessage' | 'terminate'> & {
  onmessage: ((event: MessageEvent<FromStreamWorker>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
};

const spawn = (): StreamWorker =>
  new Worker(new URL('./envelope-stream.worker.ts', import.meta.url), { type: 'module' });

let nextJobId = 1;

export function startStream(
  job: Omit<StreamJob, 'id'>,
  kms: Pick<KmsApi, 'call'>,
  onProgress: (done: number, total: number) => void,
  spawnWorker: () => StreamWorker = spawn,
): StreamHandle {
  const id = nextJobId++;
  const worker = spawnWorker();
  const send = (message: ToStreamWorker) => worker.postMessage(message);
  let settle: { resolve(r: StreamResult): void; reject(e: unknown): void };
  const result = new Promise<StreamResult>((resolve, reject) => (settle = { resolve, reject }));
  let ended = false;
  const end = () => {
    ended = true;
    worker.terminate();
  };
  worker.onmessage = (event) => {
    const message = event.data;
    if (ended || message.id !== id) return;
    switch (message.type) {
      case 'progress':
        onProgress(message.done, message.total);
        break;
      case 'kms':
        kms.call(message.operation, message.request, job.caller).then(
          (response) => send({ type: 'kms-reply', callId: message.callId, response }),
          (error: unknown) =>
            send({
              type: 'kms-reply',
              callId: message.callId,
              error: {
                name: error instanceof Error ? error.name : 'Error',
                message: error instanceof Error ? error.message : String(error),
              },
            }),
        );
        break;
      case 'done': {
        end();
        const { type: _type, ...done } = message;
        settle.resolve(done);
        break;
      }
      case 'failed':
        end();
        settle.reject(new StreamFailure(message.code, message.message, message.offset));
    }
  };
  worker.onerror = (event) => {
    if (ended) return;
    event.preventDefault();
    end();
    settle.reject(new StreamFailure('WORKER', `the streaming Worker stopped: ${event.message}`));
  };
  send({ type: 'start', job: { ...job, id } });
  return {
    result,
    cancel() {
      if (!ended) send({ type: 'cancel', id });
    },
  };
}
