/**
 * The message inspector: paste a message (base64 or hex, detected) or choose/drop a file (binary or text, read as a
 * stream), and see what it says about itself. Nothing is decrypted; a malformed message gives the error with its
 * byte offset, and the pasted text stays as typed.
 */
import { useState } from 'react';
import { inspectChunks } from '../../envelope/inspect-stream';
import { decodeMessageText, type MessageEncoding } from '../../envelope/message-text';
import { inspectMessage, type MessageSummary } from '../../envelope/inspect';
import { FileDrop } from './FileDrop';
import { MessageSummaryView } from './MessageSummaryView';
import { errorText } from '../../state/envelope-walkthrough';

async function* chunksOf(blob: Blob): AsyncGenerator<Uint8Array> {
  const reader = blob.stream().getReader();
  try {
    for (let next = await reader.read(); !next.done; next = await reader.read()) yield next.value;
  } finally {
    reader.releaseLock();
  }
}

interface Shown {
  source: string;
  encoding: MessageEncoding;
  summary: MessageSummary;
  message?: Uint8Array;
}

export function InspectorPanel() {
  const [text, setText] = useState('');
  const [shown, setShown] = useState<Shown>();
  const [error, setError] = useState<string>();

  const inspectText = () => {
    try {
      const { encoding, message } = decodeMessageText(new TextEncoder().encode(text.trim()));
      setShown({ source: 'the pasted text', encoding, summary: inspectMessage(message), message });
      setError(undefined);
    } catch (failure) {
      setShown(undefined);
      setError(`The pasted message does not parse: ${errorText(failure)}`);
    }
  };
  const inspectFile = async (file: File) => {
    try {
      // Small files are kept for the byte map's hex; large ones are only streamed.
      const message = file.size <= 1 << 20 ? new Uint8Array(await file.arrayBuffer()) : undefined;
      const { encoding, summary } = await inspectChunks(chunksOf(file));
      setShown({
        source: file.name,
        encoding,
        summary,
        ...(message && encoding === 'binary' ? { message } : {}),
      });
      setError(undefined);
    } catch (failure) {
      setShown(undefined);
      setError(`${file.name} does not parse: ${errorText(failure)}`);
    }
  };

  return (
    <section className="envelope-panel" aria-labelledby="envelope-inspector-title">
      <h2 id="envelope-inspector-title">Inspect a message</h2>
      <p className="envelope-hint">
        Any AWS Encryption SDK message: the header, the encryption context, who can open it (the encrypted
        data keys and their KMS key ARNs), the frames and the signature. No key is needed and nothing is
        decrypted.
      </p>
      <label htmlFor="envelope-paste">Paste a message (base64 or hex)</label>
      <textarea
        id="envelope-paste"
        className="envelope-paste"
        rows={5}
        spellCheck={false}
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
      <div className="envelope-actions">
        <button type="button" disabled={!text.trim()} onClick={inspectText}>
          Inspect
        </button>
      </div>
      <FileDrop
        label="Or choose a message file (binary, base64 or hex)"
        testId="inspect-file"
        onFile={inspectFile}
      />
      {error && (
        <p className="envelope-error" role="alert" data-testid="inspect-error">
          {error}
        </p>
      )}
      <div role="status" aria-live="polite" className="visually-hidden">
        {shown ? `Read ${shown.source} as ${shown.encoding}: suite ${shown.summary.suite.id}.` : ''}
      </div>
      {shown && (
        <>
          <p className="envelope-hint">
            Read {shown.source} as {shown.encoding}.
          </p>
          <MessageSummaryView summary={shown.summary} message={shown.message} />
        </>
      )}
    </section>
  );
}
