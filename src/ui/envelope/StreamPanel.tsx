/**
 * Streams a file through the envelope Worker: encrypt under the chosen KMS key as the chosen principal, or
 * decrypt (discovery: any KMS key the principal may use). The output is offered for download only when the job
 * succeeded; a failed decrypt shows the error and no plaintext.
 */
import { useEffect, useRef, useState } from 'react';
import {
  startStream,
  StreamFailure,
  type StreamHandle,
  type StreamResult,
} from '../../state/envelope-stream';
import { DEFAULT_SUITE, SUITES, suiteHex, type SuiteId } from '../../envelope';
import { FileDrop } from './FileDrop';
import { megabytes, parseContextLines } from './format';
import { contextErrorOf, initialChoices, KmsChoices, type Choices } from './KmsChoices';
import type { EnvelopeKms } from './use-envelope-kms';

/** The committing suites (format 2), which the default commitment policy encrypts with. */
const STREAM_SUITES: SuiteId[] = [0x0578, 0x0478];

interface Finished extends StreamResult {
  mode: 'encrypt' | 'decrypt';
  url: string;
  name: string;
}

export function StreamPanel({ kms }: { kms: EnvelopeKms }) {
  const [choices, setChoices] = useState<Choices>(() => initialChoices(kms.keys));
  const [file, setFile] = useState<Blob & { name?: string }>();
  const [suiteId, setSuiteId] = useState<SuiteId>(DEFAULT_SUITE);
  const [running, setRunning] = useState<{ mode: 'encrypt' | 'decrypt'; done: number; total: number }>();
  const [finished, setFinished] = useState<Finished>();
  const [error, setError] = useState<string>();
  const handle = useRef<StreamHandle>(undefined);
  const parsed = parseContextLines(choices.contextText);

  useEffect(() => () => handle.current?.cancel(), []);
  useEffect(() => () => void (finished && URL.revokeObjectURL(finished.url)), [finished]);

  const start = (mode: 'encrypt' | 'decrypt', input: Blob & { name?: string }) => {
    if (!kms.session || 'error' in parsed) return;
    setError(undefined);
    setFinished(undefined);
    setRunning({ mode, done: 0, total: input.size });
    const job = startStream(
      {
        mode,
        input,
        caller: { principalArn: kms.actingAs! },
        keyId: choices.keyArn,
        encryptionContext: parsed.context,
        suiteId,
      },
      kms.session,
      (done, total) => setRunning({ mode, done, total }),
    );
    handle.current = job;
    job.result.then(
      (result) => {
        const base = input.name ?? 'message';
        const name =
          mode === 'encrypt' ? `${base}.encrypted` : base.replace(/\.encrypted$/, '') + '.decrypted';
        setFinished({ ...result, mode, name, url: URL.createObjectURL(result.output) });
        setRunning(undefined);
      },
      (failure: unknown) => {
        setRunning(undefined);
        setError(
          failure instanceof StreamFailure && failure.code === 'ABORTED'
            ? 'Cancelled: nothing was kept.'
            : `${mode === 'encrypt' ? 'Encryption' : 'Decryption'} failed: ${failure instanceof Error ? failure.message : String(failure)}${mode === 'decrypt' ? ' No plaintext was released.' : ''}`,
        );
      },
    );
  };

  const rate = finished && finished.bytesIn / 1e6 / (finished.milliseconds / 1000);
  return (
    <section className="envelope-panel" aria-labelledby="envelope-stream-title">
      <h2 id="envelope-stream-title">Stream a file</h2>
      <p className="envelope-hint">
        A Web Worker reads the file as a stream and encrypts or decrypts it frame by frame, so a large file
        never sits in memory whole. It asks this tab for the data key: the KMS call is made here, as the
        principal chosen, and shows in the trail. Decrypted output is offered only after every frame and the
        signature verified.
      </p>
      <KmsChoices kms={kms} value={choices} onChange={setChoices} contextError={contextErrorOf(parsed)}>
        <label htmlFor="envelope-stream-suite">Algorithm suite (encrypt)</label>
        <select
          id="envelope-stream-suite"
          value={suiteId}
          onChange={(e) => setSuiteId(Number(e.target.value) as SuiteId)}
        >
          {STREAM_SUITES.map((id) => (
            <option key={id} value={id}>
              {suiteHex(id)} {SUITES[id].name}
            </option>
          ))}
        </select>
      </KmsChoices>
      <FileDrop label="File to encrypt or decrypt" testId="stream-file" onFile={setFile} />
      {file && (
        <p className="envelope-hint">
          Chosen: {file.name ?? 'output'} ({megabytes(file.size)})
        </p>
      )}
      <div className="envelope-actions">
        <button type="button" disabled={!file || !!running} onClick={() => file && start('encrypt', file)}>
          Encrypt
        </button>
        <button type="button" disabled={!file || !!running} onClick={() => file && start('decrypt', file)}>
          Decrypt
        </button>
        <button type="button" disabled={!running} onClick={() => handle.current?.cancel()}>
          Cancel
        </button>
      </div>
      {running && (
        <div className="envelope-progress">
          <progress
            aria-label={running.mode === 'encrypt' ? 'Encryption progress' : 'Decryption progress'}
            max={running.total || 1}
            value={running.done}
          />
          <span data-testid="stream-progress">
            {megabytes(running.done)} of {megabytes(running.total)}
          </span>
        </div>
      )}
      <div role="status" aria-live="polite">
        {finished && (
          <p
            data-testid="stream-result"
            data-milliseconds={finished.milliseconds}
            data-bytes-in={finished.bytesIn}
            data-bytes-out={finished.output.size}
          >
            {finished.mode === 'encrypt' ? 'Encrypted' : 'Decrypted'} {megabytes(finished.bytesIn)} in{' '}
            {(finished.milliseconds / 1000).toFixed(1)} s ({rate!.toFixed(1)} MB/s):{' '}
            {megabytes(finished.output.size)} out, suite {finished.suite}, frame length {finished.frameLength}
            , key {finished.keys.join(', ')}.
          </p>
        )}
      </div>
      {finished && (
        <div className="envelope-actions">
          <a href={finished.url} download={finished.name} data-testid="stream-download">
            Download {finished.name}
          </a>
          {finished.mode === 'encrypt' && (
            <button
              type="button"
              onClick={() => {
                const message = new File([finished.output], finished.name);
                setFile(message);
                start('decrypt', message);
              }}
            >
              Decrypt this message
            </button>
          )}
        </div>
      )}
      {error && (
        <p className="envelope-error" role="alert" data-testid="stream-error">
          {error}
        </p>
      )}
    </section>
  );
}
