import { useEffect, useState } from 'react';
import type { KeyRecord } from '../../kms/kms-state';
import { browserKms } from '../../state/kms-store';
import { labKeyPolicyText, openKeyPolicyInLab } from '../../state/open-in-lab';
import { useKmsAction } from './use-action';

/**
 * The key policy: viewed and edited here (PutKeyPolicy applies it, and AWS's refusal, e.g.
 * MalformedPolicyDocumentException, shows as AWS words it), or opened in the Lab's editor and applied from there.
 * AWS managed keys' policies are read-only (developer guide "AWS managed keys").
 */
export function PolicySection({ keyRecord: key }: { keyRecord: KeyRecord }) {
  const { run, result, busy } = useKmsAction();
  const [text, setText] = useState(key.policy);
  const [note, setNote] = useState('');
  const readOnly = key.manager === 'AWS';
  // The text follows the key until the learner edits it.
  const [edited, setEdited] = useState(false);
  useEffect(() => {
    if (!edited) setText(key.policy);
  }, [key.policy, edited]);

  const apply = async (policy: string) => {
    const response = await run(
      'PutKeyPolicy',
      { KeyId: key.keyId, Policy: policy },
      () => 'The key policy was applied.',
    );
    if (response) setEdited(false);
  };
  const applyLab = () => {
    const lab = labKeyPolicyText(key.arn);
    if (lab === undefined)
      return setNote('The Lab has no policy for this key: use "Open in Lab editor" first.');
    setNote('');
    setText(lab);
    setEdited(true);
    void apply(lab);
  };

  return (
    <section className="keys-section" aria-labelledby="policy-title">
      <h3 id="policy-title">Key policy</h3>
      {readOnly && <p>This is an AWS managed key: its policy is set by the service and cannot be changed.</p>}
      <textarea
        className="keys-policy"
        aria-label="Key policy JSON"
        value={text}
        readOnly={readOnly}
        spellCheck={false}
        rows={14}
        onChange={(e) => {
          setText(e.target.value);
          setEdited(true);
        }}
      />
      <div className="keys-actions">
        {!readOnly && (
          <button type="button" disabled={busy} onClick={() => void apply(text)}>
            Apply (PutKeyPolicy)
          </button>
        )}
        <button type="button" onClick={() => void browserKms().then((s) => openKeyPolicyInLab(s, key.arn))}>
          Open in Lab editor
        </button>
        {!readOnly && (
          <button type="button" disabled={busy} onClick={applyLab}>
            Apply the Lab’s version
          </button>
        )}
        {edited && (
          <button
            type="button"
            onClick={() => {
              setEdited(false);
              setText(key.policy);
            }}
          >
            Discard my edits
          </button>
        )}
      </div>
      {note && <p role="status">{note}</p>}
      {result}
    </section>
  );
}
