import { useEffect, useMemo, useState } from 'react';
import { lintPolicy } from '../../engine/index';
import type { KeyRecord } from '../../kms/kms-state';
import { browserKms } from '../../state/kms-store';
import { labKeyPolicyText, openKeyPolicyInLab } from '../../state/open-in-lab';
import { findingTypeLabel } from '../editor/findings';
import { LazyPolicyEditor } from '../editor/LazyPolicyEditor';
import { useKmsAction } from './use-action';

/**
 * The key policy: viewed and edited here in the lab's policy editor (Monaco, loaded lazily, with the key-policy
 * completion and the linter's findings as markers and as a list), applied with PutKeyPolicy (AWS's refusal, e.g.
 * MalformedPolicyDocumentException, shows as AWS words it, and what was typed stays), or opened in the Lab's
 * editor and applied from there. AWS managed keys' policies are read-only (developer guide "AWS managed keys").
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
  // The engine's linter reads the text as the Lab does; the key names the Resource and the account.
  const findings = useMemo(
    () => lintPolicy(text, 'key', { keyArn: key.arn, accountId: key.account }),
    [text, key.arn, key.account],
  );

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
      <div data-testid="key-policy-editor">
        <LazyPolicyEditor
          uri={`inmemory://key-page/${encodeURIComponent(key.arn)}`}
          kind="key"
          value={text}
          onChange={(changed) => {
            setText(changed);
            setEdited(true);
          }}
          findings={findings}
          ariaLabel="Key policy JSON"
          height={300}
          readOnly={readOnly}
        />
      </div>
      {findings.length > 0 && (
        <details className="keys-findings" data-testid="key-policy-findings">
          <summary>
            {findings.length} {findings.length === 1 ? 'finding' : 'findings'} of the policy checker
          </summary>
          <ul>
            {findings.map((f, i) => (
              <li key={i}>
                {findingTypeLabel(f.type)} (line {f.range.start.line}): {f.message}
              </li>
            ))}
          </ul>
        </details>
      )}
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
