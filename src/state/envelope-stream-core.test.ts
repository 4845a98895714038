import { describe, expect, it } from 'vitest';
import { randomBytes } from '../envelope/bytes';
import { createKms } from '../kms/kms';
import { runStreamJob } from './envelope-stream-core';
import type { FromStreamWorker, StreamJob } from './envelope-stream-protocol';
import { STARTER_SCENARIO } from './lab-store';

const KEY = Object.keys(STARTER_SCENARIO.keys!)[0];
const ROOT = { principalArn: 'arn:aws:iam::111122223333:root' };
const APP = { principalArn: 'arn:aws:sts::111122223333:assumed-role/App/lab' };

async function run(kms: ReturnType<typeof createKms>, job: Omit<StreamJob, 'id'>, signal?: AbortSignal) {
  const posted: FromStreamWorker[] = [];
  const calls: string[] = [];
  await runStreamJob(
    { ...job, id: 7 },
    {
      kms: {
        call: (operation, request, caller) => {
          calls.push(`${operation} as ${caller.principalArn}`);
          return kms.call(operation, request, caller);
        },
      },
      post: (message) => posted.push(message),
      signal: signal ?? new AbortController().signal,
    },
  );
  const end = posted.at(-1)!;
  return { posted, calls, end };
}

const bytesOf = async (blob: Blob) => new Uint8Array(await blob.arrayBuffer());

describe('envelope streaming job', { timeout: 60_000 }, () => {
  it('encrypts a Blob read as a stream and decrypts it back, with progress and the KMS calls as the caller', async () => {
    const kms = createKms({ scenario: STARTER_SCENARIO });
    const plaintext = randomBytes(1536 * 1024 + 17);
    const context = { purpose: 'test', ü: 'ñ' };
    const enc = await run(kms, {
      mode: 'encrypt',
      input: new Blob([plaintext]),
      caller: ROOT,
      keyId: KEY,
      encryptionContext: context,
      frameLength: 4096,
    });
    expect(enc.end.type).toBe('done');
    if (enc.end.type !== 'done') return;
    expect(enc.calls).toEqual([`GenerateDataKey as ${ROOT.principalArn}`]);
    expect(enc.end.keys).toEqual([KEY]);
    expect(enc.end.suite).toMatch(/^0x0578 /);
    const progress = enc.posted.filter((m) => m.type === 'progress');
    expect(progress.at(-1)).toMatchObject({ done: plaintext.length, total: plaintext.length });

    const dec = await run(kms, {
      mode: 'decrypt',
      input: enc.end.output,
      caller: APP,
      encryptionContext: { purpose: 'test' },
    });
    expect(dec.calls).toEqual([`Decrypt as ${APP.principalArn}`]);
    expect(dec.end.type).toBe('done');
    if (dec.end.type !== 'done') return;
    expect(await bytesOf(dec.end.output)).toEqual(plaintext);
  });

  it('decrypts a message given as base64 text', async () => {
    const kms = createKms({ scenario: STARTER_SCENARIO });
    const plaintext = randomBytes(10_000);
    const enc = await run(kms, {
      mode: 'encrypt',
      input: new Blob([plaintext]),
      caller: ROOT,
      keyId: KEY,
      encryptionContext: {},
    });
    if (enc.end.type !== 'done') throw new Error('encrypt failed');
    const text = Buffer.from(await bytesOf(enc.end.output)).toString('base64');
    const dec = await run(kms, {
      mode: 'decrypt',
      input: new Blob([text]),
      caller: ROOT,
      encryptionContext: {},
    });
    if (dec.end.type !== 'done') throw new Error(JSON.stringify(dec.end));
    expect(await bytesOf(dec.end.output)).toEqual(plaintext);
  });

  it('a tampered or refused message gives an error and no output at all', async () => {
    const kms = createKms({ scenario: STARTER_SCENARIO });
    const enc = await run(kms, {
      mode: 'encrypt',
      input: new Blob([randomBytes(2 << 20)]),
      caller: ROOT,
      keyId: KEY,
      encryptionContext: {},
    });
    if (enc.end.type !== 'done') throw new Error('encrypt failed');
    const message = await bytesOf(enc.end.output);
    message[message.length - 5000] ^= 1; // inside the last frames
    const dec = await run(kms, {
      mode: 'decrypt',
      input: new Blob([message]),
      caller: ROOT,
      encryptionContext: {},
    });
    expect(dec.end).toMatchObject({ type: 'failed', code: 'FRAME_AUTH' });
    expect(dec.posted.some((m) => m.type === 'done')).toBe(false);

    // The App role may Decrypt but not GenerateDataKey: the refusal names the KMS exception.
    const refused = await run(kms, {
      mode: 'encrypt',
      input: new Blob([new Uint8Array(10)]),
      caller: APP,
      keyId: KEY,
      encryptionContext: {},
    });
    expect(refused.end).toMatchObject({ type: 'failed', code: 'KMS' });
    if (refused.end.type === 'failed') expect(refused.end.message).toMatch(/AccessDeniedException/);
  });

  it('stops when cancelled and reports ABORTED', async () => {
    const kms = createKms({ scenario: STARTER_SCENARIO });
    const controller = new AbortController();
    const posted: FromStreamWorker[] = [];
    const job = runStreamJob(
      {
        id: 1,
        mode: 'encrypt',
        input: new Blob([new Uint8Array(8 << 20)]),
        caller: ROOT,
        keyId: KEY,
        encryptionContext: {},
      },
      {
        kms,
        post: (message) => {
          posted.push(message);
          if (message.type === 'progress' && message.done > 0) controller.abort();
        },
        signal: controller.signal,
        now: (() => {
          let t = 0;
          return () => (t += 1000); // every progress is due
        })(),
      },
    );
    await job;
    expect(posted.at(-1)).toMatchObject({ type: 'failed', code: 'ABORTED' });
    const last = posted.filter((m) => m.type === 'progress').at(-1);
    expect(last && last.type === 'progress' && last.done).toBeLessThan(8 << 20);
  });
});
