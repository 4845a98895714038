/**
 * Envelope encryption step by step, on the learner's text or file: the GenerateDataKey call and its answer, local
 * encryption, the plaintext key discarded, the stored message as a byte map, then the way back (KMS Decrypt of the
 * data key, local decryption), and what-ifs. Everything shown comes from the real calls (state/envelope-walkthrough.ts).
 */
import { useState } from 'react';
import { utf8 } from '../../envelope/bytes';
import {
  discardDataKey,
  openMessage,
  sealWalkthrough,
  type OpenedWalkthrough,
  type SealedWalkthrough,
} from '../../state/envelope-walkthrough';
import { runWhatIf, WHAT_IFS, type WhatIfId, type WhatIfOutcome } from '../../state/envelope-what-ifs';
import { ByteMap } from './ByteMap';
import { FileDrop } from './FileDrop';
import { hexPreview, parseContextLines } from './format';
import { GcmStepView } from './GcmStepView';
import { contextErrorOf, initialChoices, KmsChoices, type Choices } from './KmsChoices';
import { KmsCallView } from './KmsCallView';
import { LabDecisionLink } from './LabDecisionLink';
import type { EnvelopeKms } from './use-envelope-kms';

/** Larger inputs belong to the streaming panel: the visualizer keeps everything in memory to show it. */
const MAX_INPUT = 256 * 1024;

const STEPS = [
  { id: 'request', title: 'Ask KMS for a data key' },
  { id: 'data-key', title: 'The data key comes back' },
  { id: 'encrypt', title: 'Encrypt locally' },
  { id: 'discard', title: 'Discard the plaintext key' },
  { id: 'message', title: 'The stored message' },
  { id: 'kms-decrypt', title: 'KMS decrypts the data key' },
  { id: 'decrypt', title: 'Decrypt locally' },
] as const;

function describe(step: number, sealed: SealedWalkthrough, opened?: OpenedWalkthrough): string {
  const call = sealed.calls.find((c) => c.operation === 'GenerateDataKey');
  switch (STEPS[step].id) {
    case 'request':
      return call?.error
        ? `GenerateDataKey as ${call.caller} was refused (${call.error.name}): the walkthrough stops here.`
        : `GenerateDataKey as ${sealed.input.caller.principalArn} for ${sealed.input.keyId}: KMS allowed it.`;
    case 'data-key':
      return 'KMS returned the data key twice: in plaintext, and encrypted under the KMS key.';
    case 'encrypt':
      return `The data key encrypted your ${sealed.input.plaintext.length} bytes here in the tab; only the request for the key went to KMS.`;
    case 'discard':
      return 'The plaintext data key is overwritten; only its encrypted copy is kept, inside the message.';
    case 'message':
      return `The stored message: ${sealed.message?.length} bytes. Choose a region of the byte map to see what it holds.`;
    case 'kms-decrypt':
      return opened?.calls[0]?.error
        ? `KMS refused Decrypt (${opened.calls[0].error.name}).`
        : 'KMS decrypted the encrypted data key from the message, with the encryption context from the header.';
    case 'decrypt':
      return opened?.plaintext
        ? 'The data key decrypted the message here in the tab; the text matches.'
        : `The message did not open: ${opened?.error ?? '…'}`;
  }
}

export function Visualizer({ kms }: { kms: EnvelopeKms }) {
  const [choices, setChoices] = useState<Choices>(() => initialChoices(kms.keys, 'project=alpha'));
  const [text, setText] = useState('Meet at the usual place at noon.');
  const [file, setFile] = useState<{ name: string; bytes: Uint8Array }>();
  const [sealed, setSealed] = useState<SealedWalkthrough>();
  const [opened, setOpened] = useState<OpenedWalkthrough>();
  const [step, setStep] = useState(0);
  const [busy, setBusy] = useState(false);
  const [inputError, setInputError] = useState<string>();
  const [outcomes, setOutcomes] = useState<(WhatIfOutcome & { label: string })[]>([]);
  const [runningWhatIf, setRunningWhatIf] = useState<WhatIfId>();
  const parsed = parseContextLines(choices.contextText);

  const start = async () => {
    if (!kms.api || 'error' in parsed) return;
    const plaintext = file?.bytes ?? utf8(text);
    setBusy(true);
    setOpened(undefined);
    setOutcomes([]);
    const result = await sealWalkthrough(kms.api, {
      plaintext,
      keyId: choices.keyArn,
      caller: { principalArn: kms.actingAs! },
      encryptionContext: parsed.context,
    });
    setSealed(result);
    setStep(0);
    setBusy(false);
  };

  const stepId = STEPS[step].id;
  const stoppedAt = sealed?.message ? STEPS.length : 1;
  // Entering "discard" overwrites the key; entering "kms-decrypt" makes the Decrypt call (once).
  const goTo = (next: number) => {
    if (!sealed) return;
    const id = STEPS[next].id;
    if (id === 'discard') discardDataKey(sealed);
    if (id === 'kms-decrypt' && !opened && kms.api && sealed.message)
      void openMessage(kms.api, sealed.message, sealed.input.caller).then(setOpened);
    setStep(next);
  };

  const whatIf = async (id: WhatIfId, label: string) => {
    if (!kms.api || !sealed) return;
    setRunningWhatIf(id);
    const outcome = await runWhatIf(id, { kms: kms.api, sealed, keyArns: kms.keys.map((k) => k.arn) });
    setOutcomes((list) => [{ ...outcome, label }, ...list]);
    setRunningWhatIf(undefined);
    if (id === 'second-account') kms.refresh();
  };

  const generate = sealed?.calls.find((c) => c.operation === 'GenerateDataKey');
  return (
    <section className="envelope-panel" aria-labelledby="envelope-visualizer-title">
      <h2 id="envelope-visualizer-title">Envelope encryption, step by step</h2>
      <div className="envelope-inputs">
        <label htmlFor="envelope-text">Text to encrypt</label>
        <textarea
          id="envelope-text"
          rows={2}
          value={text}
          disabled={!!file}
          onChange={(e) => setText(e.target.value)}
        />
        <FileDrop
          label="Or a small file (up to 256 KB)"
          testId="visualizer-file"
          onFile={(chosen) => {
            if (chosen.size > MAX_INPUT) {
              setInputError(
                `${chosen.name} is ${chosen.size} bytes; the visualizer takes up to ${MAX_INPUT}. Stream it instead.`,
              );
              return;
            }
            setInputError(undefined);
            void chosen
              .arrayBuffer()
              .then((buffer) => setFile({ name: chosen.name, bytes: new Uint8Array(buffer) }));
          }}
        />
        {file && (
          <p className="envelope-hint">
            Using {file.name} ({file.bytes.length} bytes).{' '}
            <button type="button" onClick={() => setFile(undefined)}>
              Use the text instead
            </button>
          </p>
        )}
        {inputError && (
          <p className="envelope-error" role="alert">
            {inputError}
          </p>
        )}
        <KmsChoices kms={kms} value={choices} onChange={setChoices} contextError={contextErrorOf(parsed)} />
        <div className="envelope-actions">
          <button
            type="button"
            className="envelope-primary"
            disabled={busy || 'error' in parsed || !choices.keyArn}
            onClick={() => void start()}
          >
            {sealed ? 'Start again' : 'Encrypt step by step'}
          </button>
        </div>
      </div>

      {sealed && (
        <div className="envelope-walk">
          <nav aria-label="Steps">
            <ol className="envelope-steps">
              {STEPS.map((s, i) => (
                <li key={s.id}>
                  <button
                    type="button"
                    aria-current={i === step ? 'step' : undefined}
                    disabled={i >= stoppedAt}
                    onClick={() => goTo(i)}
                  >
                    {i + 1}. {s.title}
                  </button>
                </li>
              ))}
            </ol>
          </nav>
          <div className="envelope-step">
            <h3>
              Step {step + 1} of {STEPS.length}: {STEPS[step].title}
            </h3>
            <p aria-live="polite" data-testid="step-description" className="envelope-description">
              {describe(step, sealed, opened)}
            </p>
            {stepId === 'request' && generate && (
              <>
                <KmsCallView call={generate} hide={['Plaintext', 'CiphertextBlob']} />
                {kms.session && <LabDecisionLink call={generate} session={kms.session} />}
                {sealed.error && !generate.error && <p className="envelope-error">{sealed.error}</p>}
              </>
            )}
            {stepId === 'request' && !generate && <p className="envelope-error">{sealed.error}</p>}
            {stepId === 'data-key' && generate?.response && (
              <dl className="envelope-facts">
                <dt>Plaintext data key</dt>
                <dd>
                  <code className="envelope-hex">{hexPreview(sealed.dataKey ?? new Uint8Array(0), 32)}</code>
                  <br />
                  32 bytes, used for this message only (all zeros once step 4 discarded it).
                </dd>
                <dt>Encrypted data key (CiphertextBlob)</dt>
                <dd>
                  <code className="envelope-hex">
                    {hexPreview(generate.response.CiphertextBlob as Uint8Array, 24)}
                  </code>
                  <br />
                  Only KMS can turn it back into the data key, with {String(generate.response.KeyId)} and the
                  same encryption context.
                </dd>
                <dt>Key material</dt>
                <dd>
                  <code>{String(generate.response.KeyMaterialId ?? '—')}</code>
                </dd>
              </dl>
            )}
            {stepId === 'encrypt' && sealed.summary && (
              <>
                <p>
                  Suite <code>{sealed.summary.suite.id}</code> ({sealed.summary.suite.name}): HKDF-SHA512
                  derives a content key from the data key and the message ID; AES-256-GCM encrypts the{' '}
                  {sealed.summary.plaintextLength} bytes in {sealed.summary.frameCount} frame(s) of up to{' '}
                  {sealed.summary.frameLength} bytes; a fresh ECDSA P-384 key signs the message. All of it
                  runs in this tab: KMS never sees your data.
                </p>
                <details>
                  <summary>AES-256-GCM step by step</summary>
                  <GcmStepView
                    plaintext={sealed.input.plaintext}
                    aad={utf8(JSON.stringify(sealed.input.encryptionContext))}
                  />
                </details>
              </>
            )}
            {stepId === 'discard' && (
              <p>
                The data key shown in step 2 now reads{' '}
                <code className="envelope-hex" data-testid="discarded-key">
                  {hexPreview(sealed.dataKey ?? new Uint8Array(0), 32)}
                </code>
                . The ESDK keeps the plaintext data key only while it encrypts; the message stores the
                encrypted data key, so opening it needs KMS again.
              </p>
            )}
            {stepId === 'message' && sealed.regions && (
              <ByteMap regions={sealed.regions} message={sealed.message} />
            )}
            {stepId === 'kms-decrypt' &&
              (opened?.calls[0] ? (
                <>
                  <KmsCallView call={opened.calls[0]} hide={['Plaintext']} />
                  {kms.session && <LabDecisionLink call={opened.calls[0]} session={kms.session} />}
                </>
              ) : (
                <p>Calling KMS Decrypt…</p>
              ))}
            {stepId === 'decrypt' && opened && (
              <div>
                {opened.plaintext ? (
                  <>
                    <p className="envelope-allowed">
                      Decrypted {opened.plaintext.length} bytes, identical to the input:{' '}
                      {String(
                        opened.plaintext.every((b, i) => b === sealed.input.plaintext[i]) &&
                          opened.plaintext.length === sealed.input.plaintext.length,
                      )}
                      .
                    </p>
                    {!file && (
                      <pre className="envelope-json" data-testid="decrypted-text">
                        {new TextDecoder().decode(opened.plaintext)}
                      </pre>
                    )}
                  </>
                ) : (
                  <p className="envelope-refused">{opened.error}</p>
                )}
              </div>
            )}
            <div className="envelope-actions">
              <button type="button" disabled={step === 0} onClick={() => goTo(step - 1)}>
                Back
              </button>
              <button
                type="button"
                disabled={step + 1 >= Math.min(stoppedAt, STEPS.length)}
                onClick={() => goTo(step + 1)}
              >
                Next
              </button>
            </div>
          </div>
        </div>
      )}

      {sealed?.message && (
        <section className="envelope-what-ifs" aria-labelledby="envelope-what-if-title">
          <h3 id="envelope-what-if-title">What if…</h3>
          <p className="envelope-hint">
            Each changes one thing and tries to open this message again through the tab&rsquo;s KMS (every
            call is in the trail), then puts back what it changed.
          </p>
          <div className="envelope-actions">
            {WHAT_IFS.map(({ id, label }) => (
              <button
                key={id}
                type="button"
                disabled={!!runningWhatIf}
                onClick={() => void whatIf(id, label)}
              >
                {label}
              </button>
            ))}
          </div>
          <ul className="envelope-outcomes" aria-live="polite" data-testid="what-if-outcomes">
            {outcomes.map((o, i) => (
              <li
                key={outcomes.length - i}
                className={o.opened ? 'envelope-outcome-opened' : 'envelope-outcome-refused'}
              >
                <strong>{o.label}:</strong> {o.opened ? 'opened' : 'did not open'}. {o.summary}
                <span className="envelope-hint">
                  {' '}
                  KMS calls:{' '}
                  {o.calls.map((c) => `${c.operation}${c.error ? ` (${c.error.name})` : ''}`).join(', ')}.
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}
    </section>
  );
}
